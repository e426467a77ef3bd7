namespace Consul.Tests.Cli;

public sealed class CatalogCommandTests : CliTestBase
{
    private const string Nodes = """
        [{"ID":"40e4a748-2192-161a-0510-9bf59fe950b5","Node":"web-1","Address":"10.1.10.12","Datacenter":"dc1",
          "TaggedAddresses":{"wan":"10.1.10.12","lan":"10.1.10.12"},"Meta":{"rack":"r1","env":"prod"}},
         {"ID":"","Node":"db","Address":"10.1.10.2","Datacenter":"dc1","TaggedAddresses":null,"Meta":null}]
        """;

    [Fact(Timeout = 20000)]
    public async Task Datacenters_one_per_line()
    {
        Server.On("GET /v1/catalog/datacenters", FakeResponse.Json("""["dc1","dc2"]"""));

        Assert.Equal(new CliResult(0, "dc1\ndc2\n", ""), await Run("catalog", "datacenters"));
    }

    [Fact(Timeout = 20000)]
    public async Task Datacenters_rejects_arguments()
    {
        Assert.Equal(new CliResult(1, "", "Too many arguments (expected 0, got 1)\n"), await Run("catalog", "datacenters", "x"));
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_table_shortens_ids()
    {
        Server.On("GET /v1/catalog/nodes", FakeResponse.Json(Nodes));

        var r = await Run("catalog", "nodes");

        Assert.Equal(new CliResult(0,
            "Node   ID        Address     DC\n" +
            "web-1  40e4a748  10.1.10.12  dc1\n" +
            "db               10.1.10.2   dc1\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_detailed_and_query_parameters()
    {
        Server.On("GET /v1/catalog/nodes", FakeResponse.Json(Nodes));

        var r = await Run("catalog", "nodes", "-detailed", "-near=_agent", "-node-meta", "rack=r1", "-filter", "Node == web-1");

        Assert.Equal(0, r.Code);
        Assert.Equal(
            $"{"Node",-5}  {"ID",-36}  {"Address",-10}  {"DC",-3}  {"TaggedAddresses",-30}  Meta\n" +
            $"{"web-1",-5}  {"40e4a748-2192-161a-0510-9bf59fe950b5",-36}  {"10.1.10.12",-10}  dc1  {"lan=10.1.10.12, wan=10.1.10.12",-30}  env=prod, rack=r1\n" +
            $"{"db",-5}  {"",-36}  {"10.1.10.2",-10}  dc1  {"",-30}  \n", r.Stdout);
        Assert.Equal("?filter=Node+%3D%3D+web-1&near=_agent&node-meta=rack%3Ar1", Server.Single("GET", "/v1/catalog/nodes").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_filter_can_come_from_stdin_or_a_file()
    {
        Server.On("GET /v1/catalog/nodes", FakeResponse.Json(Nodes));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "Meta.rack == r1");
            var fromStdin = await RunWith(new(), "Node == db", "catalog", "nodes", "-filter=-");
            var fromFile = await Run("catalog", "nodes", "-filter=@" + file);

            Assert.Equal(0, fromStdin.Code);
            Assert.Equal(0, fromFile.Code);
            Assert.Equal(["?filter=Node+%3D%3D+db", "?filter=Meta.rack+%3D%3D+r1"], Server.Requests.Select(q => q.Query));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_for_service_uses_service_endpoint()
    {
        Server.On("GET /v1/catalog/service/web", FakeResponse.Json("""
            [{"ID":"40e4a748-2192-161a-0510-9bf59fe950b5","Node":"web-1","Address":"10.1.10.12","Datacenter":"dc1","ServiceName":"web"}]
            """));

        var r = await Run("catalog", "nodes", "-service=web");

        Assert.Equal(new CliResult(0, "Node   ID        Address     DC\nweb-1  40e4a748  10.1.10.12  dc1\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_none_match_prints_hint_and_exits_0()
    {
        Server.On("GET /v1/catalog/nodes", FakeResponse.Json("[]"));

        Assert.Equal(new CliResult(0, "", "No nodes match the given query - try expanding your search.\n"), await Run("catalog", "nodes"));
    }

    [Fact(Timeout = 20000)]
    public async Task Nodes_bad_node_meta_is_a_flag_error()
    {
        var r = await Run("catalog", "nodes", "-node-meta", "novalue");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("invalid value \"novalue\" for flag -node-meta: Missing \"=\" value in argument: novalue\nUsage:\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Services_sorted_and_with_tags()
    {
        Server.On("GET /v1/catalog/services", FakeResponse.Json("""{"web":["v2","primary"],"consul":[],"db":["pg"]}"""));

        var plain = await Run("catalog", "services");
        var tagged = await Run("catalog", "services", "-tags");

        Assert.Equal(new CliResult(0, "consul\ndb\nweb\n", ""), plain);
        Assert.Equal(new CliResult(0,
            $"{"consul",-12}\n" +
            $"{"db",-12}pg\n" +
            $"{"web",-12}primary,v2\n", ""), tagged);
    }

    [Fact(Timeout = 20000)]
    public async Task Services_for_node()
    {
        Server.On("GET /v1/catalog/node/web-1", FakeResponse.Json("""
            {"Node":{"Node":"web-1"},"Services":{"web-a":{"ID":"web-a","Service":"web","Tags":["a"]},"web-b":{"ID":"web-b","Service":"web","Tags":["b"]},"redis":{"ID":"redis","Service":"redis","Tags":null}}}
            """));

        var r = await Run("catalog", "services", "-node=web-1", "-tags");

        Assert.Equal(new CliResult(0, $"{"redis",-11}\n{"web",-11}a,b\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Services_none_and_error()
    {
        Server.On("GET /v1/catalog/services", FakeResponse.Json("{}"));
        Assert.Equal(new CliResult(0, "", "No services match the given query - try expanding your search.\n"), await Run("catalog", "services"));

        Server.On("GET /v1/catalog/services", FakeResponse.Text(500, "down"));
        Assert.Equal(new CliResult(1, "", "Error listing services: Unexpected response code: 500 (down)\n"), await Run("catalog", "services"));
    }
}
