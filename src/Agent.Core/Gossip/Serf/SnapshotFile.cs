using System.Text.Json;
using System.Text.Json.Serialization;

namespace Consul.Core.Gossip.Serf;

/// <summary>What a restarted node needs to find its pool again (Consul: data-dir/serf/local.snapshot).</summary>
public sealed record SnapshotState
{
    [JsonPropertyName("alive")] public List<SnapshotMember> Alive { get; init; } = new();
    [JsonPropertyName("clock")] public ulong Clock { get; init; }
    [JsonPropertyName("event_clock")] public ulong EventClock { get; init; }
    /// <summary>True after a graceful leave: without rejoin_after_leave the old members are ignored.</summary>
    [JsonPropertyName("left")] public bool Left { get; init; }
}

public sealed record SnapshotMember([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("addr")] string Addr);

public static class SnapshotFile
{
    public static SnapshotState? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<SnapshotState>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    /// <summary>Writes atomically (temp file + rename) so a crash never leaves half a snapshot.</summary>
    public static void Save(string path, SnapshotState state)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(state));
        File.Move(tmp, path, overwrite: true);
    }
}
