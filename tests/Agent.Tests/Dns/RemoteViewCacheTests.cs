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

    [Fact]
    public async Task Without_use_cache_each_question_is_fetched_and_only_those_in_flight_share()
    {
        var cache = new RemoteViewCache(new FakeTimeProvider(), TimeSpan.Zero);
        var scope = new object();
        var fetches = 0;
        var gate = new TaskCompletionSource<RemoteView>();
        Task<RemoteView> Fetch()
        {
            Interlocked.Increment(ref fetches);
            return gate.Task;
        }
        var together = new[] { cache.GetOrFetchAsync(Web, scope, Fetch), cache.GetOrFetchAsync(Web, scope, Fetch) };
        gate.SetResult(new RemoteView { Datacenter = "dc2" });
        await Task.WhenAll(together);
        Assert.Equal(1, fetches);
        await cache.GetOrFetchAsync(Web, scope, Fetch);
        Assert.Equal(2, fetches);
    }

    [Theory]
    [InlineData(false, 0, 0)]
    [InlineData(false, 30, 0)]
    [InlineData(true, 0, 2)]
    [InlineData(true, 30, 30)]
    public void Dns_use_cache_and_cache_max_age_set_how_long_a_remote_answer_is_reused(bool useCache, int maxAgeSeconds, int reusedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(reusedSeconds), Consul.Agent.Hosting.DnsService.RemoteCacheAge(
            new Consul.Agent.Config.DnsConfig { UseCache = useCache, CacheMaxAge = TimeSpan.FromSeconds(maxAgeSeconds) }));
}
