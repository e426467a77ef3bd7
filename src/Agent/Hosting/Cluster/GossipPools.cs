using System.Net;
using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Events;
using UserEvent = Consul.Core.Events.UserEvent;
using Consul.Core.Gossip;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;
using Consul.Core.Gossip.Transport;

namespace Consul.Agent.Hosting.Cluster;

/// <summary>The agent's gossip pools: LAN for every agent; WAN for servers (named node.dc, as Consul).</summary>
public sealed class GossipPools : IAsyncDisposable
{
    public GossipPool Lan { get; }
    public GossipPool? Wan { get; }

    public GossipPools(AgentConfig config, EventStream events, TimeProvider time, ILoggerFactory logs)
    {
        var dataDir = string.IsNullOrEmpty(config.DataDir) ? null : config.DataDir;
        var lanBind = IPAddress.Parse(Bind(config.SerfLanBindAddr, config));
        Lan = Create(SwimConfig.DefaultLan(config.NodeName, new IPEndPoint(lanBind, config.Ports.SerfLan)), "lan",
            AgentHost.MemberTags(config), config.ReconnectTimeout, config, KeyringFor(config), dataDir, events, time, logs);
        if (config.Server && config.Ports.SerfWan >= 0)
        {
            var wanBind = IPAddress.Parse(Bind(config.SerfWanBindAddr, config));
            Wan = Create(SwimConfig.DefaultWan($"{config.NodeName}.{config.Datacenter}", new IPEndPoint(wanBind, config.Ports.SerfWan)), "wan",
                AgentHost.MemberTags(config), config.ReconnectTimeoutWan, config, KeyringFor(config), dataDir, events, time, logs);
        }
    }

    /// <summary>
    /// Each pool's own keyring (LAN and WAN keys change separately, as Consul's two files). With
    /// disable_keyring_file it starts from -encrypt alone and is never saved to the data dir.
    /// </summary>
    private static Keyring? KeyringFor(AgentConfig config)
    {
        var keys = string.IsNullOrEmpty(config.Encrypt) ? [] : new[] { Keyring.DecodeKey(config.Encrypt) };
        if (config.DisableKeyringFile) return new Keyring(keys) { MemoryOnly = true };
        return keys.Length == 0 ? null : new Keyring(keys);
    }

    private static GossipPool Create(SwimConfig swim, string pool, IReadOnlyDictionary<string, string> tags, TimeSpan reconnectTimeout,
        AgentConfig config, Keyring? keyring, string? dataDir, EventStream events, TimeProvider time, ILoggerFactory logs)
    {
        var log = logs.CreateLogger($"agent.server.serf.{pool}");
        // Members reach us at the advertised address; the sockets listen on the bind address.
        var bind = swim.Address;
        var advertise = IPAddress.Parse(pool == "wan" ? config.AdvertiseAddrWan : config.AdvertiseAddr);
        swim = swim with { Address = new IPEndPoint(advertise, bind.Port) };
        var poolConfig = new GossipPoolConfig
        {
            Serf = new SerfConfig
            {
                Swim = swim, Tags = tags, ReconnectTimeout = reconnectTimeout, DisableCoordinates = config.DisableCoordinates,
                // Room for the event's ID and filters next to the 512 bytes of name and body the API allows.
                UserEventSizeLimit = UserEventStore.SizeLimit + 512,
            },
            Pool = pool,
            DataDir = dataDir,
            RejoinAfterLeave = config.RejoinAfterLeave,
            Keyring = keyring,
            EncryptVerifyIncoming = config.EncryptVerifyIncoming,
            EncryptVerifyOutgoing = config.EncryptVerifyOutgoing,
        };
        return GossipPool.Create(poolConfig, new NetTransport(bind, log), time, new Random(), events, log);
    }

    private static string Bind(string specific, AgentConfig c) =>
        !string.IsNullOrEmpty(specific) ? specific : string.IsNullOrEmpty(c.BindAddr) ? "0.0.0.0" : c.BindAddr;

    public IReadOnlyList<MemberInfo> LanMembers() => Lan.Members().Select(MemberMapping.ToMemberInfo).ToList();

    public IReadOnlyList<MemberInfo> WanMembers() => Wan?.Members().Select(MemberMapping.ToMemberInfo).ToList() ?? [];

    /// <summary>The alive servers of this datacenter that LAN gossip knows.</summary>
    public IEnumerable<ServerParts> AliveServers(string datacenter) =>
        LanMembers().Select(ServerParts.Parse).OfType<ServerParts>()
            .Where(s => s.Datacenter == datacenter && s.Status == MemberInfo.StatusAlive);

    /// <summary>RPC addresses of the alive servers of this datacenter, as client agents pick them.</summary>
    public IReadOnlyList<string> Servers(string datacenter) => AliveServers(datacenter).Select(s => s.RpcAddress).ToList();

    /// <summary>Fires a Consul user event into the LAN pool (delivered to every agent, this one included).</summary>
    public void Broadcast(UserEvent e) => Lan.UserEvent(UserEventCodec.GossipName(e), UserEventCodec.Encode(e));

    public async ValueTask DisposeAsync()
    {
        await Lan.DisposeAsync();
        if (Wan is not null) await Wan.DisposeAsync();
    }
}
