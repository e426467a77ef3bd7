using Consul.Core.Dns;
using Consul.Core.State;
using DnsClient;

namespace Consul.Tests.Dns;

/// <summary>dns_config allow_stale and max_stale: when a lookup waits for the leader to vouch for the state.</summary>
public class DnsStalenessTests
{
    /// <summary>Counts default-consistency barriers; fails them while <see cref="NoLeader"/>.</summary>
    private sealed class RecordingLog : ICommandLog
    {
        private int _barriers;
        public int Barriers => Volatile.Read(ref _barriers);
        public bool NoLeader { get; set; }
        public TimeSpan LastContact { get; set; }

        public ConsistencyInfo Consistency => new(!NoLeader, LastContact, "");

        public Task<ApplyResult> ApplyAsync(StateCommand command, CancellationToken ct = default) => throw new NotSupportedException();
        public Task ConsistentReadBarrierAsync(CancellationToken ct = default) => throw new NotSupportedException();

        public Task DefaultReadBarrierAsync(CancellationToken ct = default)
        {
            Interlocked.Increment(ref _barriers);
            return NoLeader ? Task.FromException(new InvalidOperationException("No cluster leader")) : Task.CompletedTask;
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task AllowStaleFalse_EveryLookupWaitsForTheLeader_AndFailsWithoutOne()
    {
        var log = new RecordingLog();
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { NodeName = "node1", AllowStale = false }, log);
        var client = dns.Client();
        for (var i = 1; i <= 30; i++)
        {
            var r = await client.QueryAsync("node1.node.consul", QueryType.A);
            Assert.Equal(DnsHeaderResponseCode.NoError, r.Header.ResponseCode);
            Assert.Equal(i, log.Barriers); // repeat questions too: none is answered from the cache alone
        }
        foreach (var tcp in new[] { false, true })
        {
            log.NoLeader = true;
            Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await dns.Client(tcp).QueryAsync("web.service.consul", QueryType.A)).Header.ResponseCode);
            Assert.Equal(DnsHeaderResponseCode.ServerFailure, (await dns.Client(tcp).QueryReverseAsync(System.Net.IPAddress.Parse("10.0.0.1"))).Header.ResponseCode);
            log.NoLeader = false;
            Assert.Equal(DnsHeaderResponseCode.NoError, (await dns.Client(tcp).QueryAsync("web.service.consul", QueryType.A)).Header.ResponseCode);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task AllowStale_AsksTheLeaderOnlyWhenLastContactExceedsMaxStale()
    {
        var log = new RecordingLog { LastContact = TimeSpan.FromMilliseconds(500) };
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { NodeName = "node1", MaxStale = TimeSpan.FromSeconds(2) }, log);
        var client = dns.Client();
        for (var i = 0; i < 10; i++) Assert.Equal(DnsHeaderResponseCode.NoError, (await client.QueryAsync("node1.node.consul", QueryType.A)).Header.ResponseCode);
        Assert.Equal(0, log.Barriers);

        log.LastContact = TimeSpan.FromSeconds(3);
        for (var i = 1; i <= 10; i++)
        {
            Assert.Equal(DnsHeaderResponseCode.NoError, (await client.QueryAsync("node1.node.consul", QueryType.A)).Header.ResponseCode);
            Assert.Equal(i, log.Barriers);
        }
    }
}
