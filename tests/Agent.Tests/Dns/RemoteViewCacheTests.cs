using Consul.Core.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Dns;

public sealed class RemoteViewCacheTests
{
    private static readonly RemoteLookup Web = new("dc2", RemoteKind.Service, "web");

    [Fact]
    public async Task Concurrent_questions_share_one_fetch_and_the_answer_is_kept_a_while()
    {
        var clock = new FakeTimeProvider();
        var cache = new RemoteViewCache(clock, TimeSpan.FromSeconds(3));
        var scope = new object();
        var fetches = 0;
        var gate = new TaskCompletionSource<RemoteView>();
        Task<RemoteView> Fetch()
        {
            Interlocked.Increment(ref fetches);
            return gate.Task;
        }

        var waiting = Enumerable.Range(0, 5).Select(_ => cache.GetOrFetchAsync(Web, scope, Fetch)).ToList();
        gate.SetResult(new RemoteView { Datacenter = "dc2" });
        var views = await Task.WhenAll(waiting);
        Assert.Equal(1, fetches);
        Assert.All(views, v => Assert.Same(views[0], v));

        Assert.Same(views[0], await cache.GetOrFetchAsync(Web, scope, Fetch));
        clock.Advance(TimeSpan.FromSeconds(4));
        gate = new TaskCompletionSource<RemoteView>();
        gate.SetResult(new RemoteView { Datacenter = "dc2" });
        Assert.NotSame(views[0], await cache.GetOrFetchAsync(Web, scope, Fetch));
        Assert.Equal(2, fetches);
    }

    [Fact]
    public async Task A_failed_fetch_is_not_kept()
    {
        var cache = new RemoteViewCache(new FakeTimeProvider(), TimeSpan.FromSeconds(3));
        var scope = new object();
        var fetches = 0;
        Task<RemoteView> Fail()
        {
            fetches++;
            return Task.FromResult(new RemoteView { Datacenter = "dc2", Failed = true });
        }
        Assert.True((await cache.GetOrFetchAsync(Web, scope, Fail)).Failed);
        Assert.True((await cache.GetOrFetchAsync(Web, scope, Fail)).Failed);
        Assert.Equal(2, fetches);
    }
}
