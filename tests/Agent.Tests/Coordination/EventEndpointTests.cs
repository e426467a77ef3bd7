using System.Net;
using Consul.Tests.Http;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Coordination;

/// <summary>/v1/event/fire and /v1/event/list (api-docs/event).</summary>
public class EventEndpointTests
{
    private static async Task<List<string>> ListNames(AgentTestHost h, string query = "") =>
        (await h.GetJson("/v1/event/list" + query))!.AsArray().Select(e => e!["Name"]!.GetValue<string>()).ToList();

    [Fact(Timeout = 20000)]
    public async Task Fire_returns_the_event_with_Consuls_fields()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/event/fire/deploy", "v1.2.3", "text/plain");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var e = await Json(r);
        Assert.Equal(["ID", "Name", "Payload", "NodeFilter", "ServiceFilter", "TagFilter", "Version", "LTime"], Keys(e));
        Assert.True(Guid.TryParse(e!["ID"]!.GetValue<string>(), out _));
        Assert.Equal("deploy", e["Name"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String("v1.2.3"u8.ToArray()), e["Payload"]!.GetValue<string>());
        Assert.Equal("", e["NodeFilter"]!.GetValue<string>());
        Assert.Equal(1, e["Version"]!.GetValue<int>());
        Assert.Equal(0UL, e["LTime"]!.GetValue<ulong>());      // set on receipt, not in the fire answer

        var listed = (await h.GetJson("/v1/event/list"))!.AsArray().Single()!;
        Assert.Equal(e["ID"]!.GetValue<string>(), listed["ID"]!.GetValue<string>());
        Assert.Equal(e["Payload"]!.GetValue<string>(), listed["Payload"]!.GetValue<string>());
        Assert.True(listed["LTime"]!.GetValue<ulong>() >= 1);
    }

    [Fact(Timeout = 20000)]
    public async Task Fire_without_payload_has_null_payload()
    {
        await using var h = await StartAsync();
        var e = await Json(await h.Put("/v1/event/fire/ping"));
        Assert.Null(e!["Payload"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Filters_are_echoed_and_decide_whether_this_agent_keeps_the_event()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/agent/service/register", """{"Name":"web","Tags":["v1","primary"],"Port":80}""");

        var fired = await Json(await h.Put("/v1/event/fire/a?node=test-.*&service=web&tag=prim.*"));
        Assert.Equal("test-.*", fired!["NodeFilter"]!.GetValue<string>());
        Assert.Equal("web", fired["ServiceFilter"]!.GetValue<string>());
        Assert.Equal("prim.*", fired["TagFilter"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await h.Put("/v1/event/fire/b?node=other-node")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Put("/v1/event/fire/c?service=db")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Put("/v1/event/fire/d?service=web&tag=v2")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Put("/v1/event/fire/e?service=we.")).StatusCode);

        Assert.Equal(["a", "e"], await ListNames(h));
    }

    [Fact(Timeout = 20000)]
    public async Task Tag_filter_without_service_filter_is_400()
    {
        await using var h = await StartAsync();
        var r = await h.Put("/v1/event/fire/x?tag=v1");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task List_filters_by_name_in_firing_order_with_an_index()
    {
        await using var h = await StartAsync();
        foreach (var n in new[] { "deploy", "restart", "deploy" }) await h.PutOk($"/v1/event/fire/{n}");
        Assert.Equal(["deploy", "restart", "deploy"], await ListNames(h));
        Assert.Equal(["deploy", "deploy"], await ListNames(h, "?name=deploy"));
        Assert.Empty(await ListNames(h, "?name=none"));

        var r = await h.Get("/v1/event/list");
        var last = (await Json(r))!.AsArray()[^1]!["ID"]!.GetValue<string>();
        Assert.Equal(Consul.Core.Events.UserEventStore.IndexOf(last), IndexOf(r));
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_list_returns_when_a_new_event_arrives()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/event/fire/first");
        var index = IndexOf(await h.Get("/v1/event/list"));

        var watch = h.Get($"/v1/event/list?index={index}&wait=10s");
        // The watcher must still be waiting while nothing new has been fired.
        Assert.NotSame(watch, await Task.WhenAny(watch, Task.Delay(300)));
        await h.PutOk("/v1/event/fire/second");
        var r = await watch.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotEqual(index, IndexOf(r));
        Assert.Equal(["first", "second"], (await Json(r))!.AsArray().Select(e => e!["Name"]!.GetValue<string>()));
    }

    [Fact(Timeout = 20000)]
    public async Task Blocking_list_times_out_with_the_same_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/event/fire/only");
        var index = IndexOf(await h.Get("/v1/event/list"));
        var started = DateTime.UtcNow;
        var r = await h.Get($"/v1/event/list?index={index}&wait=1s");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(900), "returned before the wait");
        Assert.Equal(index, IndexOf(r));
        Assert.Single((await Json(r))!.AsArray());
    }
}
