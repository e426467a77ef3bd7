using System.Text.Json.Nodes;

namespace Consul.Tests.Cli;

public sealed class ServicesCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Register_from_flags_sends_agent_registration()
    {
        Server.On("PUT /v1/agent/service/register", FakeResponse.Json(""));

        var r = await Run("services", "register", "-name=web", "-id", "web-1", "-port=8080", "-address=10.0.0.5",
            "-tag=v1", "-tag=primary", "-meta", "env=prod");

        Assert.Equal(new CliResult(0, "Registered service: web\n", ""), r);
        var body = JsonNode.Parse(Server.Single("PUT", "/v1/agent/service/register").Body)!;
        Assert.Equal("""{"ID":"web-1","Name":"web","Tags":["v1","primary"],"Port":8080,"Address":"10.0.0.5","Meta":{"env":"prod"}}""",
            body.ToJsonString());
    }

    [Fact(Timeout = 20000)]
    public async Task Register_from_file_converts_config_keys()
    {
        Server.On("PUT /v1/agent/service/register", FakeResponse.Json(""));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """
                {"services":[{"name":"web","id":"web-1","port":80,"meta":{"my_key":"v"},"check":{"http":"http://localhost/health","interval":"10s"}},
                             {"name":"db","port":5432}]}
                """);

            var r = await Run("services", "register", file);

            Assert.Equal(new CliResult(0, "Registered service: web\nRegistered service: db\n", ""), r);
            var bodies = Server.Requests.Select(q => JsonNode.Parse(q.Body)!.ToJsonString()).ToList();
            Assert.Equal(
                [
                    """{"Name":"web","ID":"web-1","Port":80,"Meta":{"my_key":"v"},"Check":{"HTTP":"http://localhost/health","Interval":"10s"}}""",
                    """{"Name":"db","Port":5432}""",
                ], bodies);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "services", "register" }, "Service registration requires at least one argument or flags.\n")]
    [InlineData(new[] { "services", "register", "-name=web", "file.json" }, "Service registration requires arguments or -id, not both.\n")]
    [InlineData(new[] { "services", "deregister" }, "Service deregistration requires at least one argument or -id.\n")]
    [InlineData(new[] { "services", "deregister", "-id=web", "file.json" }, "Service deregistration requires arguments or -id, not both.\n")]
    public async Task Usage_errors(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(1, "", stderr), await Run(args));
    }

    [Fact(Timeout = 20000)]
    public async Task Register_error_quotes_service_name()
    {
        Server.On("PUT /v1/agent/service/register", FakeResponse.Text(400, "Invalid service"));

        var r = await Run("services", "register", "-name=web");

        Assert.Equal(new CliResult(1, "", "Error registering service \"web\": Unexpected response code: 400 (Invalid service)\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Deregister_by_id_and_by_file()
    {
        Server.On("PUT /v1/agent/service/deregister/web-1", FakeResponse.Json(""));
        Server.On("PUT /v1/agent/service/deregister/db", FakeResponse.Json(""));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"service":{"name":"db","port":5432}}""");

            var byId = await Run("services", "deregister", "-id=web-1");
            var byFile = await Run("services", "deregister", file);

            Assert.Equal(new CliResult(0, "Deregistered service: web-1\n", ""), byId);
            Assert.Equal(new CliResult(0, "Deregistered service: db\n", ""), byFile);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Register_missing_file_reports_error()
    {
        var r = await Run("services", "register", "/nonexistent/web.json");

        Assert.Equal(1, r.Code);
        Assert.Equal("Error: Error loading /nonexistent/web.json: open /nonexistent/web.json: no such file or directory\n", r.Stderr);
    }
}
