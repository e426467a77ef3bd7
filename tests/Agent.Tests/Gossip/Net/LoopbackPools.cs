using System.Net;
using Consul.Core.Events;
using Consul.Core.Gossip;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;
using Consul.Core.Gossip.Transport;

namespace Consul.Tests.Gossip.Net;

/// <summary>
/// Real gossip pools on their own loopback addresses with the default serf_lan port: 127.0.1.x,
/// apart from the 127.0.0.x addresses of the agent-process tests that run alongside (on
/// 127.0.0.21–50 they clashed with the ACL cluster, browser failover and TLS tests).
/// </summary>
internal sealed class LoopbackPools : IAsyncDisposable
{
    public List<GossipPool> Pools { get; } = new();
    public Dictionary<string, ListLogger> Logs { get; } = new();
    public EventStream Events { get; } = new();
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "gossip-tests-" + Guid.NewGuid().ToString("N"));

    public static IPEndPoint Address(int lastOctet) => new(IPAddress.Parse($"127.0.1.{lastOctet}"), 8301);

    public GossipPool Start(string name, int lastOctet, Keyring? keyring = null, bool dataDir = false, TimeSpan? tcpTimeout = null, bool rejoinAfterLeave = false)
    {
        var addr = Address(lastOctet);
        var swim = SwimConfig.DefaultLan(name, addr) with { TcpTimeout = tcpTimeout ?? TimeSpan.FromSeconds(10) };
        var tags = new Dictionary<string, string> { ["role"] = lastOctet % 2 == 1 ? "consul" : "node", ["dc"] = "dc1", ["build"] = "1.21.0", ["vsn"] = "2" };
        var config = new GossipPoolConfig
        {
            Serf = new SerfConfig { Swim = swim, Tags = tags },
            DataDir = dataDir ? Path.Combine(Root, name) : null,
            Keyring = keyring,
            RejoinAfterLeave = rejoinAfterLeave,
        };
        var log = Logs[name] = Logs.GetValueOrDefault(name) ?? new ListLogger(name);
        var pool = GossipPool.Create(config, new NetTransport(addr, log), TimeProvider.System, new Random(lastOctet), Events, log);
        Pools.Add(pool);
        return pool;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes.</summary>
    public static async Task<bool> Eventually(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            await Task.Delay(50);
        }
        return condition();
    }

    public static MemberStatus StatusOf(GossipPool observer, string node)
        => observer.Members().FirstOrDefault(m => m.Name == node)?.Status ?? MemberStatus.None;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Pools) await p.ShutdownAsync();
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
