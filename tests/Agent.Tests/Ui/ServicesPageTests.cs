using Bunit;
using Consul.Core.Model;
using Consul.Core.State;
using Consul.Ui.Pages;

namespace Consul.Tests.Ui;

public sealed class ServicesPageTests : UiTestContext
{
    private static List<string> Names(IRenderedComponent<Services> cut) =>
        cut.FindAll(".service-link").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public void Lists_services_with_health_counts_instances_and_tags()
    {
        var cut = RenderPage<Services>();

        Assert.Equal(["db", "redis", "web"], Names(cut));
        var web = cut.FindAll(".services-table tbody tr").Single(r => r.TextContent.Contains("web"));
        Assert.Contains("health-passing", web.InnerHtml);
        Assert.Contains("health-critical", web.InnerHtml);
        Assert.Contains("primary", web.TextContent);
        Assert.Equal("services/web", cut.FindAll(".service-link").Single(a => a.TextContent.Trim() == "web").GetAttribute("href"));
    }

    [Fact]
    public void Search_matches_name_or_tag()
    {
        var cut = RenderPage<Services>();

        cut.Type(".search-box input", "red");
        Assert.Equal(["redis"], Names(cut));

        cut.Type(".search-box input", "primary");
        Assert.Equal(["db", "web"], Names(cut));

        cut.Type(".search-box input", "nothing-like-this");
        Assert.Contains("No services match", cut.Markup);
    }

    [Fact]
    public void Health_and_tag_filters_narrow_the_list()
    {
        var cut = RenderPage<Services>();

        cut.ClickOn("#health-critical");
        Assert.Equal(["web"], Names(cut));
        cut.ClickOn("#health-warning");
        Assert.Equal(["redis"], Names(cut));
        cut.ClickOn("#health-any");

        cut.FindAll(".tag-chip").First(c => c.TextContent.Trim() == "cache").ClickOn();
        Assert.Equal(["redis"], Names(cut));
        Assert.Contains("tag: cache", cut.Find("#tag-filter").TextContent);
    }

    [Fact]
    public void Empty_catalog_shows_an_explanation()
    {
        Fixture.Apply(new DeregisterCommand { Node = "node1" });
        Fixture.Apply(new DeregisterCommand { Node = "node2" });
        Fixture.Apply(new DeregisterCommand { Node = "node3" });

        var cut = RenderPage<Services>();

        Assert.Contains("No services registered", cut.Markup);
    }

    [Fact]
    public void A_registered_service_appears_live()
    {
        var cut = RenderPage<Services>();
        WaitForSubscription();

        Fixture.Service("node3", "api-1", "api", 9000, HealthStatus.Passing);

        cut.WaitForAssertion(() => Assert.Equal(["api", "db", "redis", "web"], Names(cut)));
    }
}

public sealed class ServiceDetailTests : UiTestContext
{
    [Fact]
    public void Shows_each_instance_with_node_address_port_tags_meta_and_check_output()
    {
        var cut = RenderPage<ServiceDetail>(p => p.Add(x => x.Name, "web"));

        var instances = cut.FindAll(".instance");
        Assert.Equal(2, instances.Count);
        var web2 = instances.Single(i => i.GetAttribute("data-instance") == "web-2");
        Assert.Contains("node2", web2.TextContent);
        Assert.Contains("127.0.0.3:8080", web2.TextContent);
        Assert.Contains("v1", web2.TextContent);
        Assert.Contains("version", web2.TextContent);
        Assert.Contains("connection refused", web2.QuerySelector(".check-output")!.TextContent);
        // node-level serfHealth applies to every instance too
        Assert.NotNull(web2.QuerySelector("[data-check='serfHealth']"));
        Assert.Equal("nodes/node2", web2.QuerySelectorAll("a").First(a => a.TextContent == "node2").GetAttribute("href"));
    }

    [Fact]
    public void Check_output_updates_live()
    {
        var cut = RenderPage<ServiceDetail>(p => p.Add(x => x.Name, "web"));
        WaitForSubscription();

        Fixture.Service("node2", "web-2", "web", 8080, HealthStatus.Passing, ["v1"], "HTTP 200 OK");

        cut.WaitForAssertion(() =>
        {
            var web2 = cut.FindAll(".instance").Single(i => i.GetAttribute("data-instance") == "web-2");
            Assert.Contains("HTTP 200 OK", web2.TextContent);
            Assert.DoesNotContain("connection refused", web2.TextContent);
        });
    }

    [Fact]
    public void Unknown_service_says_so()
    {
        var cut = RenderPage<ServiceDetail>(p => p.Add(x => x.Name, "nope"));

        Assert.Contains("No instances", cut.Markup);
    }
}
