namespace Consul.Tests.Cli;

public sealed class RttCommandTests : CliTestBase
{
    private static string Coord(double x, double height = 0.0001) =>
        $$$"""{"Vec":[{{{x}}},0,0,0,0,0,0,0],"Error":0.2,"Adjustment":0,"Height":{{{height}}}}""";

    private static string Entries => $$$"""
        [
          {"Node":"alpha","Segment":"","Coord":{{{Coord(0.001)}}}},
          {"Node":"beta","Segment":"","Coord":{{{Coord(0.004)}}}},
          {"Node":"self","Segment":"","Coord":{{{Coord(0)}}}}
        ]
        """;

    [Fact(Timeout = 20000)]
    public async Task Lan_EstimatesBetweenTwoNodes()
    {
        Server.On("GET /v1/coordinate/nodes", FakeResponse.Json(Entries));
        var r = await Run("rtt", "alpha", "BETA");
        Assert.Equal(0, r.Code);
        // 3 ms apart plus both heights (0.1 ms each).
        Assert.Equal("Estimated alpha <-> BETA rtt: 3.200 ms (using LAN coordinates)\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Lan_SecondNodeDefaultsToTheAgent()
    {
        Server.On("GET /v1/coordinate/nodes", FakeResponse.Json(Entries));
        Server.On("GET /v1/agent/self", FakeResponse.Json("""{"Config":{"NodeName":"self","Datacenter":"dc1"}}"""));
        var r = await Run("rtt", "beta");
        Assert.Equal(0, r.Code);
        Assert.Equal("Estimated beta <-> self rtt: 4.200 ms (using LAN coordinates)\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Wan_UsesServerCoordinatesByDatacenter()
    {
        Server.On("GET /v1/coordinate/datacenters", FakeResponse.Json($$$"""
            [{"Datacenter":"dc1","AreaID":"wan","Coordinates":[{"Node":"s1","Coord":{{{Coord(0)}}}}]},
             {"Datacenter":"dc2","AreaID":"wan","Coordinates":[{"Node":"s2","Coord":{{{Coord(0.02)}}}}]}]
            """));
        var r = await Run("rtt", "-wan", "s1.dc1", "s2.dc2");
        Assert.Equal(0, r.Code);
        Assert.Equal("Estimated s1.dc1 <-> s2.dc2 rtt: 20.200 ms (using WAN coordinates)\n", r.Stdout);

        var bad = await Run("rtt", "-wan", "s1", "s2.dc2");
        Assert.Equal(1, bad.Code);
        Assert.Equal("Node names must be specified as <node name>.<datacenter> with -wan\n", bad.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Errors_MissingNodeAndWrongArguments()
    {
        Server.On("GET /v1/coordinate/nodes", FakeResponse.Json(Entries));
        var missing = await Run("rtt", "alpha", "gamma");
        Assert.Equal(1, missing.Code);
        Assert.Equal("Could not find a coordinate for node \"gamma\"\n", missing.Stderr);

        var none = await Run("rtt");
        Assert.Equal(1, none.Code);
        Assert.StartsWith("One or two node names must be specified\n\nUsage: consul rtt [options] node1 [node2]", none.Stderr);

        Server.On("GET /v1/coordinate/nodes", FakeResponse.Text(401, "Coordinate support disabled"));
        var disabled = await Run("rtt", "alpha", "beta");
        Assert.Equal(1, disabled.Code);
        Assert.StartsWith("Error getting coordinates: Unexpected response code: 401 (Coordinate support disabled)", disabled.Stderr);
    }
}
