using System.Text;
using Consul.Agent.Http;
using Consul.Core.Cluster;
using Consul.Core.Rpc;

namespace Consul.Tests.Federation;

/// <summary>The pure parts of cross-datacenter forwarding: where a request goes, how long it may take, its frames.</summary>
public sealed class ForwardingRoutingTests
{
    private static MemberInfo Server(string name, string dc, string addr, int status = MemberInfo.StatusAlive, int port = 8300) => new()
    {
        Name = $"{name}.{dc}",
        Addr = addr,
        Port = 8302,
        Status = status,
        Tags = new() { ["role"] = "consul", ["dc"] = dc, ["port"] = port.ToString(), ["build"] = "1.21.0:abc", ["vsn"] = "2", ["id"] = name },
    };

    [Fact]
    public void Candidates_are_the_target_dcs_servers_alive_first_then_failed_never_left()
    {
        MemberInfo[] wan =
        [
            Server("a", "dc1", "10.0.0.1"),
            Server("b", "dc2", "10.0.0.2"),
            Server("c", "dc2", "10.0.0.3", MemberInfo.StatusFailed),
            Server("d", "dc2", "10.0.0.4", MemberInfo.StatusLeft),
            Server("e", "dc2", "10.0.0.5", port: 9300),
            new MemberInfo { Name = "junk.dc2", Addr = "10.0.0.6", Status = MemberInfo.StatusAlive, Tags = new() { ["role"] = "consul", ["dc"] = "dc2" } },
        ];
        for (var seed = 0; seed < 20; seed++)
        {
            var order = WanRoutes.Candidates(wan, "dc2", new Random(seed));
            Assert.Equal(3, order.Count);
            Assert.Equal(["10.0.0.2:8300", "10.0.0.5:9300"], order.Take(2).Order(StringComparer.Ordinal));
            Assert.Equal("10.0.0.3:8300", order[2]);
        }
        Assert.Empty(WanRoutes.Candidates(wan, "dc9", new Random(1)));
    }

    [Fact]
    public void Candidates_spread_over_the_alive_servers()
    {
        MemberInfo[] wan = [Server("b", "dc2", "10.0.0.2"), Server("e", "dc2", "10.0.0.5")];
        var random = new Random(7);
        var firsts = Enumerable.Range(0, 40).Select(_ => WanRoutes.Candidates(wan, "dc2", random)[0]).ToHashSet();
        Assert.Equal(2, firsts.Count);
    }

    [Fact(Timeout = 10_000)]
    public async Task Router_runs_its_own_dcs_requests_here_and_refuses_to_route_a_forwarded_one_again()
    {
        var ran = new List<string>();
        using var rpc = new ServerRpcClient();
        var router = new DatacenterRouter("dc2", () => [Server("a", "dc1", "127.0.0.1", port: 1)], rpc, (r, _) =>
        {
            ran.Add(r.PathAndQuery);
            return Task.FromResult(new ForwardedHttpResponse { Status = 200, Body = "ok"u8.ToArray() });
        }, new Random(1));

        var local = await router.HandleAsync(new ForwardedHttpRequest { Datacenter = "dc2", Forwarded = true, PathAndQuery = "/v1/kv/x?dc=dc2" }, default);
        Assert.Equal(200, local.Status);
        Assert.Equal(["/v1/kv/x?dc=dc2"], ran);

        var again = await router.HandleAsync(new ForwardedHttpRequest { Datacenter = "dc1", Forwarded = true, PathAndQuery = "/v1/kv/x?dc=dc1" }, default);
        Assert.Equal((500, "No path to datacenter"), (again.Status, Encoding.UTF8.GetString(again.Body)));

        var unknown = await router.HandleAsync(new ForwardedHttpRequest { Datacenter = "dc7", PathAndQuery = "/v1/kv/x?dc=dc7" }, default);
        Assert.Equal((500, "No path to datacenter"), (unknown.Status, Encoding.UTF8.GetString(unknown.Body)));
        Assert.Single(ran);
    }

    [Fact(Timeout = 20_000)]
    public async Task Router_answers_500_with_the_rpc_error_when_no_server_of_the_dc_answers()
    {
        using var rpc = new ServerRpcClient();
        // Port 1 on loopback: connection refused, so both servers are tried.
        var router = new DatacenterRouter("dc2", () => [Server("a", "dc1", "127.0.0.1", port: 1), Server("b", "dc1", "127.0.0.1", port: 2)], rpc,
            (_, _) => throw new InvalidOperationException("must not run locally"), new Random(1));
        var answer = await router.HandleAsync(new ForwardedHttpRequest { Datacenter = "dc1", PathAndQuery = "/v1/catalog/services?dc=dc1" }, default);
        Assert.Equal(500, answer.Status);
        Assert.Contains("rpc error", Encoding.UTF8.GetString(answer.Body));
    }

    [Theory]
    [InlineData("/v1/kv/x?dc=dc2", 60)]
    [InlineData("/v1/kv/x?dc=dc2&wait=30s", 60)]
    [InlineData("/v1/kv/x?dc=dc2&index=5&wait=16s", 16 + 1 + 30)]
    [InlineData("/v1/kv/x?dc=dc2&index=5", 300 + 18.75 + 30)]
    [InlineData("/v1/kv/x?dc=dc2&index=5&wait=1h", 600 + 37.5 + 30)]
    public void Deadline_covers_the_longest_blocking_wait(string pathAndQuery, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ForwardTimeout.Of(pathAndQuery));

    [Fact]
    public void Frames_round_trip()
    {
        var request = new ForwardedHttpRequest
        {
            Datacenter = "dc2", Forwarded = true, Method = "PUT", PathAndQuery = "/v1/kv/ä?dc=dc2&cas=3",
            Headers = [new("X-Consul-Token", "t"), new("Content-Type", "application/json")], Body = [1, 2, 3],
        };
        var back = ForwardedHttpCodec.DecodeRequest(ForwardedHttpCodec.Encode(request));
        Assert.Equal((request.Datacenter, request.Forwarded, request.Method, request.PathAndQuery), (back.Datacenter, back.Forwarded, back.Method, back.PathAndQuery));
        Assert.Equal(request.Headers, back.Headers);
        Assert.Equal(request.Body, back.Body);

        var response = new ForwardedHttpResponse { Status = 404, Headers = [new("X-Consul-Index", "12")], Body = [] };
        var decoded = ForwardedHttpCodec.DecodeResponse(ForwardedHttpCodec.Encode(response));
        Assert.Equal(404, decoded.Status);
        Assert.Equal(response.Headers, decoded.Headers);
        Assert.Empty(decoded.Body);

        var truncated = ForwardedHttpCodec.Encode(request)[..^2];
        Assert.Throws<InvalidDataException>(() => ForwardedHttpCodec.DecodeRequest(truncated));
        Assert.Throws<InvalidDataException>(() => ForwardedHttpCodec.DecodeRequest([]));
    }

    [Theory]
    [InlineData("/v1/catalog/services", true)]
    [InlineData("/v1/health/service/web", true)]
    [InlineData("/v1/kv/a/b", true)]
    [InlineData("/v1/event/fire/deploy", true)]
    [InlineData("/v1/query/abc/execute", true)]
    [InlineData("/v1/agent/self", false)]
    [InlineData("/v1/catalog/datacenters", false)]
    [InlineData("/v1/event/list", false)]
    [InlineData("/ui/dc1/services", false)]
    public void Agent_and_datacenter_list_routes_stay_local(string path, bool forwards) =>
        Assert.Equal(forwards, ForwardableRoutes.Forwards(path));

    [Theory]
    [InlineData("GET", "/v1/health/service/web?passing", true)]
    [InlineData("PUT", "/v1/kv/a", true)]
    [InlineData("GET", "/v1/catalog/datacenters", true)] // a client's question to its servers
    [InlineData("GET", "/v1/agent/self", false)]
    [InlineData("PUT", "/v1/agent/service/register", false)]
    [InlineData("PUT", "/v1/agent/leave", false)]
    [InlineData("GET", "/v1/kv/../agent/self", false)]
    [InlineData("GET", "/v1/kv/%2e%2e/agent/self", false)]
    [InlineData("GET", "/v1/kv/a%2F..%2F..%2Fagent/self", false)]
    [InlineData("GET", "/ui/", false)]
    public void A_server_runs_only_datacenter_scoped_routes_it_is_forwarded(string method, string pathAndQuery, bool runs) =>
        Assert.Equal(runs, LocalHttpExecutor.Servable(method, new Uri(new Uri("http://127.0.0.1:8500"), pathAndQuery)));

    [Theory]
    [InlineData("""{"Datacenter":"dc2","Node":"n"}""", "dc2")]
    [InlineData("""{"datacenter":"dc3"}""", "dc3")]
    [InlineData("""{"Node":"n"}""", "")]
    [InlineData("""not json""", "")]
    [InlineData("""[1]""", "")]
    public void Catalog_writes_name_their_datacenter_in_the_body(string body, string dc) =>
        Assert.Equal(dc, DatacenterForwarding.BodyDatacenter(Encoding.UTF8.GetBytes(body)));
}
