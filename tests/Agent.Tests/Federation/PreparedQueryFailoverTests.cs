using System.Net;
using System.Text.Json.Nodes;
using DnsClient;
using static Consul.Tests.Federation.TwoDatacenters;

namespace Consul.Tests.Federation;

/// <summary>
/// Prepared-query failover across the two datacenters: "db" has an instance in dc2 only, "web"
/// one in each. Queries are created in dc1 and executed through dc1's server and client agent.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class PreparedQueryFailoverTests(TwoDatacenters dcs)
{
    private async Task<string> CreateAsync(string name, string service, string failover, string extra = "")
    {
        var (status, body) = await dcs.PostAsync(Dc1Server, "/v1/query",
            $$$"""{"Name":"{{{name}}}","Service":{"Service":"{{{service}}}","Failover":{{{failover}}}{{{extra}}}}}""");
        Assert.True(status == 200, $"create {name}: {status} {body}");
        return (string)JsonNode.Parse(body)!["ID"]!;
    }

    private async Task<JsonNode> ExecuteAsync(string agent, string idOrName) =>
        await dcs.JsonAsync(agent, $"/v1/query/{idOrName}/execute");

    /// <summary>Datacenter, failovers and the nodes found, comma-separated.</summary>
    private static (string Datacenter, int Failovers, string Nodes) Summary(JsonNode r) =>
        ((string)r["Datacenter"]!, (int)r["Failovers"]!, string.Join(",", r["Nodes"]!.AsArray().Select(n => (string)n!["Node"]!["Node"]!)));

    [Theory(Timeout = 120_000)]
    [InlineData(Dc1Server)]
    [InlineData(Dc1Client)]
    public async Task Listed_datacenter_answers_when_the_local_one_has_nothing(string agent)
    {
        var name = "db-listed-" + agent.Replace('.', '-');
        await CreateAsync(name, "db", """{"Datacenters":["nowhere","dc2"]}""");
        // "nowhere" is not a known datacenter, so it is skipped without counting as a try.
        Assert.Equal(("dc2", 1, "db-dc2-node"), Summary(await ExecuteAsync(agent, name)));
    }

    [Fact(Timeout = 120_000)]
    public async Task A_query_created_through_the_server_executes_at_once_on_the_client_agent()
    {
        // The client answers from its replica of the state; a default read first waits for the
        // leader's read point, so a query acknowledged a moment ago is there (and, as in Consul,
        // "?stale" may not see it yet).
        for (var i = 0; i < 20; i++)
        {
            var name = "fresh-" + i;
            await CreateAsync(name, "web", "{}");
            Assert.Equal(("dc1", 0, "web-dc1-node"), Summary(await ExecuteAsync(Dc1Client, name)));
            Assert.Equal(name, (string)(await dcs.JsonAsync(Dc1Client, $"/v1/query/{name}/explain"))["Query"]!["Name"]!);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task NearestN_picks_the_closest_other_datacenter()
    {
        await CreateAsync("db-nearest", "db", """{"NearestN":1}""");
        Assert.Equal(("dc2", 1, "db-dc2-node"), Summary(await ExecuteAsync(Dc1Client, "db-nearest")));
    }

    [Fact(Timeout = 120_000)]
    public async Task Local_instances_mean_no_failover()
    {
        await CreateAsync("web-local", "web", """{"Datacenters":["dc2"]}""");
        Assert.Equal(("dc1", 0, "web-dc1-node"), Summary(await ExecuteAsync(Dc1Server, "web-local")));
    }

    [Fact(Timeout = 120_000)]
    public async Task The_querys_filters_apply_in_the_other_datacenter_too()
    {
        await CreateAsync("db-tagged", "db", """{"Datacenters":["dc2"]}""", extra: ""","Tags":["primary"]""");
        // dc2 was asked (one failover) but its instance lacks the tag.
        Assert.Equal(("dc2", 1, ""), Summary(await ExecuteAsync(Dc1Server, "db-tagged")));
    }

    [Fact(Timeout = 120_000)]
    public async Task No_failover_configured_answers_the_empty_local_result()
    {
        await CreateAsync("db-plain", "db", "{}");
        Assert.Equal(("dc1", 0, ""), Summary(await ExecuteAsync(Dc1Server, "db-plain")));
    }

    [Theory(Timeout = 120_000)]
    [InlineData(Dc1Server)]
    [InlineData(Dc1Client)]
    public async Task Dns_answers_a_failed_over_query_with_the_other_datacenters_instance(string agent)
    {
        var name = "db-dns-" + agent.Replace('.', '-');
        await CreateAsync(name, "db", """{"Datacenters":["dc2"]}""");
        var dns = new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Parse(agent), 8600))
        {
            UseCache = false, Timeout = TimeSpan.FromSeconds(5), Retries = 2, ThrowDnsErrors = false,
        });
        var a = await dns.QueryAsync(name + ".query.consul", QueryType.A);
        Assert.Equal(["10.2.0.2"], a.Answers.ARecords().Select(r => r.Address.ToString()).ToList());
        var srv = await dns.QueryAsync(name + ".query.consul", QueryType.SRV);
        var record = Assert.Single(srv.Answers.SrvRecords());
        Assert.Equal((5432, "db-dc2-node.node.dc2.consul."), (record.Port, record.Target.Value));
    }
}
