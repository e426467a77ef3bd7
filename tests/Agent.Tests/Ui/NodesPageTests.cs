using Bunit;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;
using Consul.Ui.Pages;

namespace Consul.Tests.Ui;

public sealed class NodesPageTests : UiTestContext
{
    [Fact]
    public void Lists_nodes_with_serf_health_and_member_status()
    {
        var cut = RenderPage<Nodes>();

        var rows = cut.FindAll(".nodes-table tbody tr");
        Assert.Equal(3, rows.Count);
        var node3 = rows.Single(r => r.TextContent.Contains("node3"));
        Assert.Contains("127.0.0.4", node3.TextContent);
        Assert.Contains("failed", node3.TextContent);
        Assert.Contains("health-passing", node3.InnerHtml); // serfHealth in the catalog still passing
    }

    [Fact]
    public void Search_filters_by_name_or_address()
    {
        var cut = RenderPage<Nodes>();

        cut.Type(".search-box input", "127.0.0.3");

        Assert.Equal(["node2"], cut.FindAll(".node-link").Select(a => a.TextContent.Trim()));
    }

    [Fact]
    public void Serf_health_going_critical_shows_live()
    {
        var cut = RenderPage<Nodes>();
        WaitForSubscription();

        Fixture.Apply(new RegisterCommand
        {
            Node = "node3", Address = "127.0.0.4", SkipNodeUpdate = true,
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Critical, Output = "Agent not live or unreachable" },
        });

        cut.WaitForAssertion(() =>
            Assert.Contains("health-critical", cut.FindAll(".nodes-table tbody tr").Single(r => r.TextContent.Contains("node3")).InnerHtml));
    }
}

public sealed class NodeDetailTests : UiTestContext
{
    [Fact]
    public void Shows_services_checks_tagged_addresses_and_meta()
    {
        var cut = RenderPage<NodeDetail>(p => p.Add(x => x.Name, "node2"));

        var services = cut.Find(".node-services").TextContent;
        Assert.Contains("web-2", services);
        Assert.Contains("db-1", services);
        Assert.Contains("5432", services);
        var tables = cut.FindAll(".kv-table");
        Assert.Contains("lan", tables[0].TextContent);
        Assert.Contains("127.0.0.3", tables[0].TextContent);
        Assert.Contains("rack", tables[1].TextContent);
        Assert.Contains("connection refused", cut.Markup);
        Assert.Contains("Agent alive and reachable", cut.Markup);
    }

    [Fact]
    public void Unknown_node_says_so()
    {
        var cut = RenderPage<NodeDetail>(p => p.Add(x => x.Name, "ghost"));

        Assert.Contains("Node not found", cut.Markup);
    }

    [Fact]
    public void Deregistered_node_turns_into_not_found_live()
    {
        var cut = RenderPage<NodeDetail>(p => p.Add(x => x.Name, "node3"));
        WaitForSubscription();

        Fixture.Apply(new DeregisterCommand { Node = "node3" });

        cut.WaitForAssertion(() => Assert.Contains("Node not found", cut.Markup));
    }
}
