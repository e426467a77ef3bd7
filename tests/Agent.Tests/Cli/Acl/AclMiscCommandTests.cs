using Consul.Agent.Cli.Acl;

namespace Consul.Tests.Cli.Acl;

public sealed class AclSetAgentTokenTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Sets_each_token_type_with_a_token_body()
    {
        Server.On("PUT /v1/agent/token/default", FakeResponse.Json(""));
        Server.On("PUT /v1/agent/token/dns", FakeResponse.Text(403, "Permission denied"));

        var ok = await Run("acl", "set-agent-token", "default", "abc");
        var denied = await Run("acl", "set-agent-token", "dns", "abc");

        Assert.Equal(new CliResult(0, "ACL token \"default\" set successfully\n", ""), ok);
        Assert.Equal("{\"Token\":\"abc\"}\n", Server.Single("PUT", "/v1/agent/token/default").BodyText);
        Assert.Equal(new CliResult(1, "", "Failed to set ACL token \"dns\": Unexpected response code: 403 (Permission denied)\n"), denied);
    }

    [Fact(Timeout = 20000)]
    public async Task Argument_errors()
    {
        var none = await Run("acl", "set-agent-token");
        var noToken = await Run("acl", "set-agent-token", "agent");
        var noType = await Run("acl", "set-agent-token", "abc");
        var unknown = await Run("acl", "set-agent-token", "bogus", "abc");
        var many = await Run("acl", "set-agent-token", "a", "b", "c");

        Assert.Equal(new CliResult(1, "", "Error! Missing TYPE and TOKEN arguments\n"), none);
        Assert.Equal(new CliResult(1, "", "Error! Missing TOKEN argument\n"), noToken);
        Assert.Equal(new CliResult(1, "", "Error! MISSING TYPE argument\n"), noType);
        Assert.Equal(new CliResult(1, "", "Unknown token type\n"), unknown);
        Assert.Equal(new CliResult(1, "", "Error! Too many arguments: expected 2 got 3\n"), many);
        Assert.Empty(Server.Requests);
    }
}

public sealed class AclHelpTests
{
    [Fact(Timeout = 20000)]
    public async Task Acl_alone_prints_its_help_and_subcommands_to_stderr()
    {
        var r = await CliRunner.RunAsync(null, ["acl"]);

        Assert.Equal(1, r.Code);
        Assert.StartsWith("Usage: consul acl <subcommand> [options] [args]\n", r.Stderr);
        Assert.EndsWith("""
            Subcommands:
                bootstrap          Bootstrap Consul's ACL system
                policy             Manage Consul's ACL policies
                role               Manage Consul's ACL roles
                set-agent-token    Assign tokens for the Consul Agent's usage
                token              Manage Consul's ACL tokens

            """, r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Deprecated_flags_parse_but_stay_out_of_the_help()
    {
        var r = await CliRunner.RunAsync(null, ["acl", "token", "update", "-h"]);

        Assert.Equal(0, r.Code);
        Assert.StartsWith("Usage: consul acl token update [options]\n", r.Stdout);
        Assert.Contains("  -append-policy-id=<value>\n", r.Stdout);
        Assert.Contains("  -format=<string>\n     Output format {pretty|json}\n", r.Stdout);
        Assert.DoesNotContain("  -merge-policies", r.Stdout);
        Assert.DoesNotContain("  -id=", r.Stdout);
        Assert.Contains("HTTP API Options", r.Stdout);
        Assert.Contains("  -namespace=<default>", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Root_help_lists_acl()
    {
        var r = await CliRunner.RunAsync(null, ["-h"]);

        Assert.Contains("    acl ", r.Stdout);
        Assert.Contains("Interact with Consul's ACLs", r.Stdout);
    }
}

public sealed class GoTimeTests
{
    [Theory]
    [InlineData("2026-11-28T13:13:03Z", "2026-11-28 13:13:03 +0000 UTC", "2026-11-28T13:13:03Z")]
    [InlineData("2018-10-24T12:25:06.921933-04:00", "2018-10-24 12:25:06.921933 -0400 -0400", "2018-10-24T12:25:06.921933-04:00")]
    [InlineData("2020-05-22T18:52:31.123456789+05:30", "2020-05-22 18:52:31.123456789 +0530 +0530", "2020-05-22T18:52:31.123456789+05:30")]
    [InlineData("2020-05-22T18:52:31.1200000+00:00", "2020-05-22 18:52:31.12 +0000 UTC", "2020-05-22T18:52:31.12Z")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01 00:00:00 +0000 UTC", "0001-01-01T00:00:00Z")]
    public void Parses_RFC3339_and_renders_as_Go(string text, string goString, string json)
    {
        Assert.True(GoTime.TryParse(text, out var t));
        Assert.Equal(goString, t.ToString());
        Assert.Equal(json, t.ToRfc3339Nano());
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2020-05-22 18:52:31Z")]
    [InlineData("2020-13-22T18:52:31Z")]
    public void Rejects_non_RFC3339(string text) => Assert.False(GoTime.TryParse(text, out _));
}
