namespace Consul.Tests.Cli;

public sealed class MembersCommandTests : CliTestBase
{
    private const string MembersJson = """
        [
          {"Name":"node-b","Addr":"10.0.0.2","Port":8301,"Tags":{"role":"node","dc":"dc1","build":"1.21.0:abcdef","vsn":"2","segment":""},"Status":1},
          {"Name":"server-1","Addr":"10.0.0.1","Port":8301,"Tags":{"role":"consul","dc":"dc1","build":"1.21.0:abcdef","vsn":"2"},"Status":1},
          {"Name":"node-a","Addr":"10.0.0.3","Port":8301,"Tags":{"role":"node","dc":"dc1","build":"1.21.0","vsn":"2"},"Status":4}
        ]
        """;

    [Fact(Timeout = 20000)]
    public async Task Members_prints_sorted_columnized_table()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Json(MembersJson));

        var r = await Run("members");

        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Stderr);
        Assert.Equal(
            "Node      Address        Status  Type    Build   Protocol  DC   Partition  Segment\n" +
            "server-1  10.0.0.1:8301  alive   server  1.21.0  2         dc1  default    <all>\n" +
            "node-a    10.0.0.3:8301  failed  client  1.21.0  2         dc1  default    <default>\n" +
            "node-b    10.0.0.2:8301  alive   client  1.21.0  2         dc1  default    <default>\n", r.Stdout);
        Assert.Equal("?segment=_all", Server.Single("GET", "/v1/agent/members").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_detailed_lists_sorted_tags()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Json(MembersJson));

        var r = await Run("members", "-detailed");

        Assert.Equal(0, r.Code);
        Assert.Equal(
            "Node      Address        Status  Tags\n" +
            "server-1  10.0.0.1:8301  alive   ap=default,build=1.21.0:abcdef,dc=dc1,role=consul,segment=<all>,vsn=2\n" +
            "node-a    10.0.0.3:8301  failed  ap=default,build=1.21.0,dc=dc1,role=node,segment=<default>,vsn=2\n" +
            "node-b    10.0.0.2:8301  alive   ap=default,build=1.21.0:abcdef,dc=dc1,role=node,segment=<default>,vsn=2\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_status_filter_and_wan_query()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Json(MembersJson));

        var r = await Run("members", "--status=fail.*", "-wan");

        Assert.Equal(0, r.Code);
        Assert.Equal(
            "Node    Address        Status  Type    Build   Protocol  DC   Partition  Segment\n" +
            "node-a  10.0.0.3:8301  failed  client  1.21.0  2         dc1  default    <default>\n", r.Stdout);
        Assert.Equal("?segment=_all&wan=1", Server.Single("GET", "/v1/agent/members").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_with_no_match_exits_2_silently()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Json(MembersJson));

        var r = await Run("members", "-status", "left");

        Assert.Equal(new CliResult(2, "", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_http_error_prints_status_and_body()
    {
        Server.On("GET /v1/agent/members", FakeResponse.Text(500, "rpc error: boom\n"));

        var r = await Run("members");

        Assert.Equal(1, r.Code);
        Assert.Equal("Error retrieving members: Unexpected response code: 500 (rpc error: boom)\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_connection_refused_names_url_and_address()
    {
        var port = CliRunner.ClosedPort();

        var r = await CliRunner.RunAsync($"127.0.0.1:{port}", ["members"]);

        Assert.Equal(1, r.Code);
        Assert.Equal("", r.Stdout);
        Assert.Equal($"Error retrieving members: Get \"http://127.0.0.1:{port}/v1/agent/members?segment=_all\": " +
                     $"dial tcp 127.0.0.1:{port}: connect: connection refused\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Connection_refused_names_the_resolved_ip_for_host_names()
    {
        var port = CliRunner.ClosedPort();

        var r = await CliRunner.RunAsync($"localhost:{port}", ["reload"]);

        Assert.Equal($"Error reloading: Put \"http://localhost:{port}/v1/agent/reload\": " +
                     $"dial tcp 127.0.0.1:{port}: connect: connection refused\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Members_bad_status_regexp_fails_before_any_request()
    {
        var r = await Run("members", "-status", "(");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("Failed to compile status regexp: ", r.Stderr);
        Assert.Empty(Server.Requests);
    }
}
