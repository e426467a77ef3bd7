using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;

namespace Consul.Core.Gossip;

/// <summary>Settings for one gossip pool (the LAN pool on serf_lan, or the WAN pool of servers on serf_wan).</summary>
public sealed record GossipPoolConfig
{
    public required SerfConfig Serf { get; init; }
    /// <summary>"lan" or "wan": picks the file names (local.* or remote.*) under data-dir/serf.</summary>
    public string Pool { get; init; } = "lan";
    /// <summary>Agent data directory; the snapshot and keyring live under its serf/ folder. Null keeps nothing on disk.</summary>
    public string? DataDir { get; init; }
    /// <summary>Rejoin the previous members from the snapshot even after a graceful leave.</summary>
    public bool RejoinAfterLeave { get; init; }
    /// <summary>Encryption keys (from -encrypt); a keyring file in the data dir wins over this unless the keyring is memory-only.</summary>
    public Keyring? Keyring { get; init; }
    public bool EncryptVerifyIncoming { get; init; } = true;
    public bool EncryptVerifyOutgoing { get; init; } = true;
    /// <summary>Port assumed for join addresses given without one.</summary>
    public int DefaultPort => Serf.Swim.Address.Port;

    private string FilePrefix => Pool == "wan" ? "remote" : "local";
    public string? SnapshotPath => DataDir == null ? null : Path.Combine(DataDir, "serf", FilePrefix + ".snapshot");
    /// <summary>Null without a data dir, and for a memory-only keyring (disable_keyring_file): no file is read or written.</summary>
    public string? KeyringPath => DataDir == null || Keyring is { MemoryOnly: true } ? null : Path.Combine(DataDir, "serf", FilePrefix + ".keyring");
}
