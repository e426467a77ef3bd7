using System.Buffers.Binary;
using System.Text;

namespace Consul.Core.Raft;

/// <summary>
/// The set of servers in the cluster. Changes one server at a time, so any two
/// consecutive configurations share a majority and no joint consensus is needed.
/// </summary>
public sealed class RaftConfiguration : IEquatable<RaftConfiguration>
{
    public static readonly RaftConfiguration Empty = new([]);

    public IReadOnlyList<ServerInfo> Servers { get; }

    public RaftConfiguration(IEnumerable<ServerInfo> servers)
    {
        Servers = servers.OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
        if (Servers.Select(s => s.Id).Distinct().Count() != Servers.Count)
            throw new ArgumentException("duplicate server id in configuration");
    }

    public IEnumerable<ServerInfo> Voters => Servers.Where(s => s.Voter);
    public int VoterCount => Servers.Count(s => s.Voter);
    public int Quorum => VoterCount / 2 + 1;

    public ServerInfo? Find(string id) => Servers.FirstOrDefault(s => s.Id == id);
    public bool Contains(string id) => Find(id) is not null;
    public bool IsVoter(string id) => Find(id)?.Voter == true;

    public RaftConfiguration With(ServerInfo server) =>
        new(Servers.Where(s => s.Id != server.Id).Append(server));

    public RaftConfiguration Without(string id) => new(Servers.Where(s => s.Id != id));

    /// <summary>Compact binary form used inside configuration log entries and snapshot metadata.</summary>
    public byte[] Encode()
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write(Servers.Count);
        foreach (var s in Servers) { w.Write(s.Id); w.Write(s.Address); w.Write(s.Voter); }
        w.Flush();
        return ms.ToArray();
    }

    public static RaftConfiguration Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return Empty;
        using var ms = new MemoryStream(data.ToArray());
        using var r = new BinaryReader(ms, Encoding.UTF8);
        var n = r.ReadInt32();
        var list = new List<ServerInfo>(n);
        for (var i = 0; i < n; i++) list.Add(new ServerInfo(r.ReadString(), r.ReadString(), r.ReadBoolean()));
        return new RaftConfiguration(list);
    }

    public bool Equals(RaftConfiguration? other) => other is not null && Servers.SequenceEqual(other.Servers);
    public override bool Equals(object? obj) => Equals(obj as RaftConfiguration);
    public override int GetHashCode() => Servers.Aggregate(17, (h, s) => HashCode.Combine(h, s));
    public override string ToString() =>
        "[" + string.Join(", ", Servers.Select(s => s.Voter ? s.Id : s.Id + "(nv)")) + "]";

    internal static int ReadInt(ReadOnlySpan<byte> b) => BinaryPrimitives.ReadInt32LittleEndian(b);
}
