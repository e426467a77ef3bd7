using System.Text;
using Consul.Agent.Config;
using Consul.Agent.Http;
using Consul.Core.Rpc;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Federation;

/// <summary>The one place that decides whether a request is answered here or in another datacenter.</summary>
public sealed class DatacenterForwardingMiddlewareTests
{
    private readonly List<ForwardedHttpRequest> _sent = [];
    private bool _ranHere;
    private string _bodySeenHere = "";

    private DatacenterForwarding Middleware(bool server = true, bool withForwarder = true)
    {
        var services = new ServiceCollection();
        if (withForwarder)
            services.AddSingleton(new DatacenterForwarder((request, _) =>
            {
                _sent.Add(request);
                return Task.FromResult(new ForwardedHttpResponse
                {
                    Status = 200,
                    Headers = [new("X-Consul-Index", "77"), new("Content-Type", "application/json")],
                    Body = "{\"from\":\"dc2\"}"u8.ToArray(),
                });
            }));
        return new DatacenterForwarding(async ctx =>
        {
            _ranHere = true;
            _bodySeenHere = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
        }, new AgentConfig { Datacenter = "dc1", Server = server }, services.BuildServiceProvider());
    }

    private static DefaultHttpContext Request(string method, string pathAndQuery, string body = "", params (string, string)[] headers)
    {
        var ctx = new DefaultHttpContext();
        var q = pathAndQuery.IndexOf('?');
        ctx.Request.Method = method;
        ctx.Request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        ctx.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
        ctx.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers) ctx.Request.Headers[name] = value;
        ctx.Response.Body = new MemoryStream();
        return ctx;
    }

    private static string ResponseBody(HttpContext ctx) => Encoding.UTF8.GetString(((MemoryStream)ctx.Response.Body).ToArray());

    [Fact(Timeout = 5_000)]
    public async Task Another_dc_is_forwarded_whole_and_its_answer_passed_through()
    {
        var ctx = Request("PUT", "/v1/kv/x?dc=dc2&cas=4", "value", ("X-Consul-Token", "secret"), ("Authorization", "Bearer other"),
            ("Content-Type", "application/octet-stream"), ("User-Agent", "curl"));
        await Middleware().InvokeAsync(ctx);

        Assert.False(_ranHere);
        var sent = Assert.Single(_sent);
        Assert.Equal(("dc2", false, "PUT", "/v1/kv/x?dc=dc2&cas=4", "value"),
            (sent.Datacenter, sent.Forwarded, sent.Method, sent.PathAndQuery, Encoding.UTF8.GetString(sent.Body)));
        Assert.Equal(["X-Consul-Token=secret", "Authorization=Bearer other", "Content-Type=application/octet-stream"],
            sent.Headers.Select(h => $"{h.Key}={h.Value}"));
        Assert.Equal(200, ctx.Response.StatusCode);
        Assert.Equal("77", ctx.Response.Headers["X-Consul-Index"].ToString());
        Assert.Equal("application/json", ctx.Response.ContentType);
        Assert.Equal("{\"from\":\"dc2\"}", ResponseBody(ctx));
    }

    [Theory(Timeout = 5_000)]
    [InlineData("GET", "/v1/kv/x")]
    [InlineData("GET", "/v1/kv/x?dc=dc1")]
    [InlineData("GET", "/v1/agent/self?dc=dc2")]
    [InlineData("GET", "/v1/event/list?dc=dc2")]
    [InlineData("GET", "/v1/catalog/datacenters?dc=dc2")]
    public async Task Local_requests_and_agent_routes_run_here(string method, string pathAndQuery)
    {
        await Middleware().InvokeAsync(Request(method, pathAndQuery));
        Assert.True(_ranHere);
        Assert.Empty(_sent);
    }

    [Fact(Timeout = 5_000)]
    public async Task A_lone_agent_without_a_forwarder_answers_everything_itself()
    {
        await Middleware(withForwarder: false).InvokeAsync(Request("GET", "/v1/catalog/services?dc=dc2"));
        Assert.True(_ranHere);
    }

    [Fact(Timeout = 5_000)]
    public async Task Catalog_register_goes_where_its_body_says_and_a_local_one_still_reads_its_body()
    {
        await Middleware().InvokeAsync(Request("PUT", "/v1/catalog/register", """{"Datacenter":"dc2","Node":"n"}"""));
        Assert.Equal("dc2", Assert.Single(_sent).Datacenter);
        Assert.Equal("""{"Datacenter":"dc2","Node":"n"}""", Encoding.UTF8.GetString(_sent[0].Body));
        Assert.False(_ranHere);

        await Middleware().InvokeAsync(Request("PUT", "/v1/catalog/register", """{"Datacenter":"dc1","Node":"n"}"""));
        Assert.True(_ranHere);
        Assert.Equal("""{"Datacenter":"dc1","Node":"n"}""", _bodySeenHere);
    }

    [Fact(Timeout = 5_000)]
    public async Task A_client_asks_its_servers_for_the_datacenter_list()
    {
        await Middleware(server: false).InvokeAsync(Request("GET", "/v1/catalog/datacenters"));
        Assert.Equal(("dc1", "/v1/catalog/datacenters"), (Assert.Single(_sent).Datacenter, _sent[0].PathAndQuery));
        _sent.Clear();
        await Middleware(server: true).InvokeAsync(Request("GET", "/v1/catalog/datacenters"));
        Assert.Empty(_sent);
    }
}
