using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Consul.Core.Cluster;

/// <summary>
/// A gossip member read as a Consul server (Consul's metadata.IsConsulServer): role "consul",
/// parseable port/vsn/build tags. <see cref="RpcAddress"/> is the server RPC (and Raft) address.
/// </summary>
public sealed partial record ServerParts
{
    public string Name { get; init; } = "";
    /// <summary>Name without a ".dc" suffix (WAN members are named node.dc).</summary>
    public string ShortName { get; init; } = "";
    public string Id { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public string Segment { get; init; } = "";
    public string Address { get; init; } = "";
    public int Port { get; init; }
    public string RpcAddress { get; init; } = "";
    public int LanJoinPort { get; init; }
    public int WanJoinPort { get; init; }
    public int Expect { get; init; }
    public bool Bootstrap { get; init; }
    /// <summary>nonvoter (deprecated) or read_replica tag present: never a Raft voter.</summary>
    public bool ReadReplica { get; init; }
    /// <summary>x.y.z from the build tag, as Consul's version.Version prints it.</summary>
    public string Build { get; init; } = "";
    public int Version { get; init; }
    public int RaftVersion { get; init; }
    public bool UseTls { get; init; }
    public int Status { get; init; }

    /// <summary>The server parts, or null when the member is not a (well-formed) Consul server.</summary>
    public static ServerParts? Parse(MemberInfo m)
    {
        var tags = m.Tags;
        if (tags.GetValueOrDefault("role") != "consul") return null;
        var dc = tags.GetValueOrDefault("dc", "");

        var expect = 0;
        if (tags.TryGetValue("expect", out var expectText) && !TryInt(expectText, out expect)) return null;
        if (!TryInt(tags.GetValueOrDefault("port", ""), out var port)) return null;
        if (BuildOf(m) is not { } build) return null;
        var wanJoinPort = 0;
        if (tags.TryGetValue("wan_join_port", out var wanText) && !TryInt(wanText, out wanJoinPort)) return null;
        if (!TryInt(tags.GetValueOrDefault("vsn", ""), out var vsn)) return null;
        var raftVsn = 0;
        if (tags.TryGetValue("raft_vsn", out var raftText) && !TryInt(raftText, out raftVsn)) return null;

        return new ServerParts
        {
            Name = m.Name,
            ShortName = dc.Length > 0 && m.Name.EndsWith("." + dc, StringComparison.Ordinal) ? m.Name[..^(dc.Length + 1)] : m.Name,
            Id = tags.GetValueOrDefault("id", ""),
            Datacenter = dc,
            Segment = tags.GetValueOrDefault("segment", ""),
            Address = m.Addr,
            Port = port,
            RpcAddress = JoinHostPort(m.Addr, port),
            LanJoinPort = m.Port,
            WanJoinPort = wanJoinPort,
            Expect = expect,
            Bootstrap = tags.ContainsKey("bootstrap"),
            ReadReplica = tags.ContainsKey("nonvoter") || tags.ContainsKey("read_replica"),
            Build = build,
            Version = vsn,
            RaftVersion = raftVsn,
            UseTls = tags.ContainsKey("use_tls"),
            Status = m.Status,
        };
    }

    /// <summary>The x.y.z in the member's build tag ("1.21.0:rev" → "1.21.0"), as Consul's metadata.Build reads it; null if none.</summary>
    public static string? BuildOf(MemberInfo m)
    {
        var match = BuildVersion().Match(m.Tags.GetValueOrDefault("build", ""));
        return match.Success ? NormalizeVersion(match.Value) : null;
    }

    /// <summary>host:port with IPv6 hosts in brackets, as Go's net.JoinHostPort writes it.</summary>
    public static string JoinHostPort(string host, int port) =>
        IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port).ToString() : $"{host}:{port}";

    // Go's strconv.Atoi: optional sign, decimal digits only.
    private static bool TryInt(string text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    // version.Version.String() drops leading zeros of each segment ("1.02.3" prints "1.2.3").
    private static string NormalizeVersion(string v) =>
        string.Join('.', v.Split('.').Select(p => p.TrimStart('0') is "" ? "0" : p.TrimStart('0')));

    [GeneratedRegex(@"\d+\.\d+\.\d+")]
    private static partial Regex BuildVersion();
}
