using System.Net;
using Consul.Agent.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Consul.Tests.Http;

/// <summary>http_config's block_endpoints, allow_write_http_from and response_headers on the API.</summary>
public sealed class HttpConfigPolicyTests
{
    private static Task<AgentTestHost> Start(HttpConfig http) => AgentTestHost.StartAsync(AgentTestHost.DefaultConfig() with { Http = http });

    /// <summary>A request as if it came from <paramref name="from"/> (the test server has no real connection).</summary>
    private static async Task<(int Status, string Body, HttpContext Context)> SendFrom(AgentTestHost agent, string from, string method, string path)
    {
        var ctx = await agent.App.GetTestServer().SendAsync(c =>
        {
            c.Request.Method = method;
            c.Request.Path = path;
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });
        return (ctx.Response.StatusCode, await new StreamReader(ctx.Response.Body).ReadToEndAsync(), ctx);
    }

    [Fact]
    public async Task Blocked_prefixes_answer_403_and_the_rest_is_served()
    {
        await using var agent = await Start(new HttpConfig { BlockEndpoints = ["/v1/acl", "/v1/agent/self"] });
        await AgentTestHost.AssertError(await agent.Get("/v1/acl/tokens"), 403, "Endpoint is blocked by agent configuration");
        await AgentTestHost.AssertError(await agent.Get("/v1/agent/self"), 403, "Endpoint is blocked by agent configuration");
        await AgentTestHost.AssertError(await agent.Put("/v1/acl/bootstrap"), 403, "Endpoint is blocked by agent configuration");
        Assert.Equal(HttpStatusCode.OK, (await agent.Get("/v1/agent/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.Get("/v1/catalog/nodes")).StatusCode);
    }

    [Fact]
    public async Task Writes_only_from_the_allowed_networks_reads_from_anywhere()
    {
        await using var agent = await Start(new HttpConfig { AllowWriteHttpFrom = ["10.0.0.0/8", "127.0.0.1/32"] });
        Assert.Equal((403, "Access is restricted"), Trim(await SendFrom(agent, "192.0.2.7", "PUT", "/v1/kv/k")));
        Assert.Equal((403, "Access is restricted"), Trim(await SendFrom(agent, "192.0.2.7", "DELETE", "/v1/kv/k")));
        Assert.Equal(200, (await SendFrom(agent, "10.1.2.3", "PUT", "/v1/kv/k")).Status);
        Assert.Equal(200, (await SendFrom(agent, "::ffff:127.0.0.1", "PUT", "/v1/kv/k2")).Status);
        Assert.Equal(200, (await SendFrom(agent, "192.0.2.7", "GET", "/v1/kv/k")).Status);
    }

    [Fact]
    public async Task Configured_response_headers_are_on_every_api_answer()
    {
        await using var agent = await Start(new HttpConfig
        {
            ResponseHeaders = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*", ["X-Frame-Options"] = "DENY" },
        });
        foreach (var r in new[] { await agent.Get("/v1/status/leader"), await agent.Get("/v1/kv/missing") })
        {
            Assert.Equal("*", AgentTestHost.Header(r, "Access-Control-Allow-Origin"));
            Assert.Equal("DENY", AgentTestHost.Header(r, "X-Frame-Options"));
        }
    }

    private static (int, string) Trim((int Status, string Body, HttpContext _) r) => (r.Status, r.Body.TrimEnd('\n'));
}
