namespace Consul.Tests.Cli;

public sealed class OperatorRaftTransferLeaderTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Transfer_to_any_server_prints_success()
    {
        Server.On("POST /v1/operator/raft/transfer-leader", FakeResponse.Json("""{"Success":true}"""));

        var r = await Run("operator", "raft", "transfer-leader");

        Assert.Equal(new CliResult(0, "Success\n", ""), r);
        Assert.Equal("", Server.Single("POST", "/v1/operator/raft/transfer-leader").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Transfer_to_a_given_id_sends_it_with_stale()
    {
        Server.On("POST /v1/operator/raft/transfer-leader", FakeResponse.Json("""{"Success":true}"""));

        var r = await Run("operator", "raft", "transfer-leader", "-id=a1b2c3d4", "-stale");

        Assert.Equal(new CliResult(0, "Success\n", ""), r);
        Assert.Equal("?id=a1b2c3d4&stale=", Server.Single("POST", "/v1/operator/raft/transfer-leader").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Api_error_is_reported_with_consuls_wording()
    {
        Server.On("POST /v1/operator/raft/transfer-leader",
            FakeResponse.Text(500, "rpc error: code = Unknown desc = cannot find peer"));

        var r = await Run("operator", "raft", "transfer-leader");

        Assert.Equal(new CliResult(1, "",
            "Error transfering leadership: Failed to transfer leadership Unexpected response code: 500 (rpc error: code = Unknown desc = cannot find peer)\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Unsuccessful_reply_fails()
    {
        Server.On("POST /v1/operator/raft/transfer-leader", FakeResponse.Json("""{"Success":false}"""));

        var r = await Run("operator", "raft", "transfer-leader");

        Assert.Equal(new CliResult(1, "", "Error transfering leadership: Failed to transfer leadership\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Help_shows_usage_and_id_flag()
    {
        var r = await Run("operator", "raft", "transfer-leader", "-h");

        var help = r.Stdout + r.Stderr;
        Assert.Contains("Usage: consul operator raft transfer-leader [options]", help);
        Assert.Contains("Transfer raft leadership to another node.", help);
        Assert.Contains("-id=<string>", help);
        Assert.Contains("The ID of the node to transfer leadership to.", help);
    }

    [Fact(Timeout = 20000)]
    public async Task Raft_group_help_lists_transfer_leader()
    {
        var r = await Run("operator", "raft");

        Assert.Contains("transfer-leader", r.Stdout + r.Stderr);
        Assert.Contains("Transfer raft leadership to another node", r.Stdout + r.Stderr);
    }
}
