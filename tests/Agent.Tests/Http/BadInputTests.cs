using System.Net;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

/// <summary>Client mistakes get Consul's 4xx answers, never a 500.</summary>
public sealed class BadInputTests(SharedAgentHost shared) : IClassFixture<SharedAgentHost>
{
    [Theory(Timeout = 20000)]
    [InlineData("/v1/agent/service/register", "{")]
    [InlineData("/v1/agent/service/register", "not json")]
    [InlineData("/v1/agent/service/register", "")]
    [InlineData("/v1/agent/service/register", """{"Name":"x","Port":"eighty"}""")]
    [InlineData("/v1/agent/service/register", """{"Name":5}""")]
    [InlineData("/v1/agent/service/register", """{"Name":"x","Tags":"a"}""")]
    [InlineData("/v1/agent/service/register", """{"Name":"x","Check":[]}""")]
    [InlineData("/v1/agent/service/register", """{"Name":"x","Weights":{"Passing":"many"}}""")]
    [InlineData("/v1/agent/service/register", "[]")]
    [InlineData("/v1/agent/check/update/x", """{"Status":1}""")]
    [InlineData("/v1/catalog/register", """{"Node":"n","Address":"a","Service":{"Service":"s","Port":true}}""")]
    [InlineData("/v1/catalog/register", """{"Node":["n"]}""")]
    [InlineData("/v1/catalog/deregister", "{")]
    public async Task Malformed_or_mistyped_json_is_400_request_decode_failed(string url, string body)
    {
        var h = shared.Host;
        await AssertErrorStartsWith(await h.Put(url, body), 400, "Request decode failed: ");
    }

    [Theory(Timeout = 20000)]
    [InlineData("/v1/txn", """[{"Service":"x"}]""")]
    [InlineData("/v1/txn", """[{"Node":{"Verb":"get","Node":{"Node":null}}}]""")]
    [InlineData("/v1/txn", """[{"Node":{"Verb":"set","Node":{"Address":"1.2.3.4"}}}]""")]
    [InlineData("/v1/txn", """[{"Check":{"Verb":"get","Check":{"CheckID":"x"}}}]""")]
    [InlineData("/v1/txn", """[{"Check":{"Verb":"set","Check":{"Node":null,"CheckID":null}}}]""")]
    [InlineData("/v1/session/create", """{"Checks":[1]}""")]
    [InlineData("/v1/session/create", """{"ServiceChecks":[{"ID":7}]}""")]
    [InlineData("/v1/session/create", """{"ServiceChecks":"x"}""")]
    public async Task Bodies_the_fuzz_test_found_are_client_errors_not_500(string url, string body)
    {
        var r = await shared.Host.Put(url, body);
        Assert.InRange((int)r.StatusCode, 400, 499);
        // The agent still applies writes afterwards: nothing above may have wedged the log.
        Assert.Equal(HttpStatusCode.OK, (await shared.Host.Put("/v1/kv/after-bad-input", "ok")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task A_ttl_longer_than_a_timer_can_wait_is_accepted()
    {
        var r = await shared.Host.Put("/v1/agent/check/register", """{"Name":"decade","TTL":"87600h"}""");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        await shared.Host.Put("/v1/agent/check/deregister/decade", "");
    }

    [Theory(Timeout = 20000)]
    [InlineData("GET", "/v1/nope")]
    [InlineData("GET", "/v1/catalog/nope")]
    [InlineData("GET", "/v1/agent/nope")]
    [InlineData("PUT", "/v1/health/nope/x")]
    [InlineData("GET", "/v2/kv/x")]
    public async Task Unknown_routes_are_404(string method, string url)
    {
        var h = shared.Host;
        Assert.Equal(HttpStatusCode.NotFound, (await h.Send(new HttpMethod(method), url)).StatusCode);
    }

    [Theory(Timeout = 20000)]
    [InlineData("POST", "/v1/kv/x")]
    [InlineData("PATCH", "/v1/kv/x")]
    [InlineData("GET", "/v1/catalog/register")]
    [InlineData("DELETE", "/v1/catalog/nodes")]
    [InlineData("POST", "/v1/catalog/service/web")]
    [InlineData("PUT", "/v1/health/service/web")]
    [InlineData("GET", "/v1/agent/service/register")]
    [InlineData("POST", "/v1/agent/services")]
    [InlineData("GET", "/v1/agent/check/pass/x")]
    [InlineData("GET", "/v1/agent/reload")]
    [InlineData("DELETE", "/v1/agent/self")]
    [InlineData("PUT", "/v1/status/leader")]
    public async Task Wrong_methods_are_405_with_consuls_message(string method, string url)
    {
        var h = shared.Host;
        await AssertError(await h.Send(new HttpMethod(method), url), 405, $"method {method} not allowed");
    }

    [Theory(Timeout = 20000)]
    [InlineData("/v1/agent/service/maintenance/x?enable=yes")]
    [InlineData("/v1/kv/x?cas=abc")]
    [InlineData("/v1/kv/x?flags=-1")]
    public async Task Bad_query_values_are_4xx(string url)
    {
        var h = shared.Host;
        var r = await h.Put(url, """{"Name":"x"}""");
        Assert.True((int)r.StatusCode is >= 400 and < 500, $"{url} -> {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
    }

    [Theory(Timeout = 20000)]
    [InlineData("/v1/catalog/service/", 400)]
    [InlineData("/v1/catalog/node/", 400)]
    [InlineData("/v1/health/node/", 400)]
    [InlineData("/v1/health/checks/", 400)]
    [InlineData("/v1/health/service/", 400)]
    [InlineData("/v1/agent/service/", 400)]
    public async Task Missing_path_names_are_400(string url, int status)
    {
        var h = shared.Host;
        var r = await h.Get(url);
        Assert.Equal(status, (int)r.StatusCode);
        Assert.StartsWith("Missing ", await r.Content.ReadAsStringAsync());
    }
}
