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
        var remote = new GatedFetch();

        var waiting = Enumerable.Range(0, 5).Select(_ => cache.GetOrFetchAsync(Web, scope, remote.Fetch)).ToList();
        remote.Answer();
        var views = await Task.WhenAll(waiting);
        Assert.Equal(1, remote.Count);
        Assert.All(views, v => Assert.Same(views[0], v));

        Assert.Same(views[0], await cache.GetOrFetchAsync(Web, scope, remote.Fetch));
        clock.Advance(TimeSpan.FromSeconds(4));
        remote.Answer();
        Assert.NotSame(views[0], await cache.GetOrFetchAsync(Web, scope, remote.Fetch));
        Assert.Equal(2, remote.Count);
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
        var remote = new GatedFetch();
        var together = new[] { cache.GetOrFetchAsync(Web, scope, remote.Fetch), cache.GetOrFetchAsync(Web, scope, remote.Fetch) };
        remote.Answer();
        await Task.WhenAll(together);
        Assert.Equal(1, remote.Count);
        await cache.GetOrFetchAsync(Web, scope, remote.Fetch);
        Assert.Equal(2, remote.Count);
    }

    [Theory]
    [InlineData(false, 0, 0)]
    [InlineData(false, 30, 0)]
    [InlineData(true, 0, 2)]
    [InlineData(true, 30, 30)]
    public void Dns_use_cache_and_cache_max_age_set_how_long_a_remote_answer_is_reused(bool useCache, int maxAgeSeconds, int reusedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(reusedSeconds), Consul.Agent.Hosting.DnsService.RemoteCacheAge(
            new Consul.Agent.Config.DnsConfig { UseCache = useCache, CacheMaxAge = TimeSpan.FromSeconds(maxAgeSeconds) }));

    /// <summary>A remote fetch that counts its calls and answers when told (each answer is a new view).</summary>
    private sealed class GatedFetch
    {
        private TaskCompletionSource<RemoteView> _gate = new();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task<RemoteView> Fetch()
        {
            Interlocked.Increment(ref _count);
            return _gate.Task;
        }

        /// <summary>Answers the fetches waiting now with a new view; later fetches get that view too, until the next answer.</summary>
        public void Answer()
        {
            if (_gate.Task.IsCompleted) _gate = new TaskCompletionSource<RemoteView>();
            _gate.SetResult(new RemoteView { Datacenter = "dc2" });
        }
    }
}
