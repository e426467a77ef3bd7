using Consul.Agent.Cli;

namespace Consul.Tests.Cli;

public sealed class HttpConfigTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Env_token_and_datacenter_flag_reach_the_agent()
    {
        Server.On("PUT /v1/agent/reload", FakeResponse.Json(""));

        var r = await RunWith(new() { ["CONSUL_HTTP_TOKEN"] = "env-token" }, "", "reload");

        Assert.Equal(0, r.Code);
        Assert.Equal("env-token", Server.Single("PUT", "/v1/agent/reload").Header("X-Consul-Token"));
    }

    [Fact(Timeout = 20000)]
    public async Task Token_file_wins_over_token_and_is_trimmed()
    {
        Server.On("PUT /v1/agent/reload", FakeResponse.Json(""));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "  file-token\n");
            var r = await RunWith(new() { ["CONSUL_HTTP_TOKEN_FILE"] = file }, "", "reload", "-token=flag-token");

            Assert.Equal(0, r.Code);
            Assert.Equal("file-token", Server.Single("PUT", "/v1/agent/reload").Header("X-Consul-Token"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Missing_token_file_fails_before_any_request()
    {
        var r = await Run("reload", "-token-file=/nonexistent/token");

        Assert.Equal(new CliResult(1, "",
            "Error connecting to Consul agent: Error loading token file: open /nonexistent/token: no such file or directory\n"), r);
        Assert.Empty(Server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Http_addr_flag_accepts_scheme_and_overrides_env()
    {
        Server.On("PUT /v1/agent/reload", FakeResponse.Json(""));

        var r = await CliRunner.RunAsync("127.0.0.1:1", ["reload", "-http-addr", "http://" + Server.Address]);

        Assert.Equal(new CliResult(0, "Configuration reload triggered\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_scheme_is_rejected()
    {
        var r = await Run("reload", "-http-addr=ftp://127.0.0.1:1");

        Assert.Equal(new CliResult(1, "", "Error connecting to Consul agent: Unknown protocol scheme: ftp\n"), r);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8500")]
    [InlineData("10.0.0.1:8500", null, "http://10.0.0.1:8500")]
    [InlineData("https://consul.local:8501", null, "https://consul.local:8501")]
    [InlineData("127.0.0.1:8501", "true", "https://127.0.0.1:8501")]
    [InlineData("http://127.0.0.1:8500", "true", "https://127.0.0.1:8500")]
    public void Address_defaults_and_scheme_rules(string? envAddr, string? ssl, string expected)
    {
        var flags = new HttpApiFlags();
        var env = new Dictionary<string, string?> { ["CONSUL_HTTP_ADDR"] = envAddr, ["CONSUL_HTTP_SSL"] = ssl };
        var ctx = new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null, env, CancellationToken.None);

        Assert.Equal(expected, flags.CreateClient(ctx).BaseAddress);
    }

    [Fact(Timeout = 20000)]
    public async Task Ssl_env_switches_scheme_in_urls()
    {
        var port = CliRunner.ClosedPort();

        var r = await CliRunner.RunAsync($"127.0.0.1:{port}", ["leave"], env: new() { ["CONSUL_HTTP_SSL"] = "true" });

        Assert.Equal(1, r.Code);
        Assert.Equal($"Error leaving: Put \"https://127.0.0.1:{port}/v1/agent/leave\": dial tcp 127.0.0.1:{port}: connect: connection refused\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Unix_socket_address_is_dialled()
    {
        var sock = Path.Combine(Path.GetTempPath(), $"consul-cli-{Guid.NewGuid():N}.sock");

        var r = await Run("leave", "-http-addr=unix://" + sock);

        Assert.Equal(1, r.Code);
        Assert.Equal($"Error leaving: Put \"http://{sock}/v1/agent/leave\": dial unix {sock}: connect: no such file or directory\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Namespace_and_partition_flags_become_query_parameters()
    {
        Server.On("PUT /v1/kv/k", FakeResponse.Json("true"));

        var r = await Run("kv", "put", "-namespace=team-a", "-partition", "p1", "k", "v");

        Assert.Equal(0, r.Code);
        Assert.Equal("?ns=team-a&partition=p1", Server.Single("PUT", "/v1/kv/k").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Tenancy_flags_are_listed_as_command_options()
    {
        var r = await Run("kv", "export", "-help");

        Assert.Equal(0, r.Code);
        Assert.Contains("Command Options\n\n  -namespace=<default>\n     Specifies the namespace to query.", r.Stdout);
        Assert.Contains("  -partition=<default>\n     Specifies the admin partition to query.", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Unix_socket_agent_answers()
    {
        var sock = Path.Combine(Path.GetTempPath(), $"consul-cli-{Guid.NewGuid():N}.sock");
        await using var unixServer = await FakeConsulServer.StartAsync(unixSocket: sock);
        unixServer.On("GET /v1/catalog/datacenters", FakeResponse.Json("""["dc1"]"""));
        try
        {
            var r = await CliRunner.RunAsync(unixServer.Address, ["catalog", "datacenters"]);

            Assert.Equal(new CliResult(0, "dc1\n", ""), r);
        }
        finally
        {
            File.Delete(sock);
        }
    }
}
