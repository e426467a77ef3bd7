using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// Consul's manual outage recovery: a <c>raft/peers.json</c> in the data dir replaces the
/// server's Raft configuration when it starts, and is then deleted. The file is either the
/// Raft protocol 3 form, <c>[{"id": "...", "address": "ip:port", "non_voter": false}]</c>, or the
/// old list of addresses, <c>["ip:port"]</c>, where each address doubles as the ID.
/// </summary>
public static class PeersJson
{
    public const string FileName = "peers.json";

    public static RaftConfiguration Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new FormatException("peers.json must hold a JSON array");
        var servers = new List<ServerInfo>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    var address = e.GetString()!;
                    servers.Add(new ServerInfo(address, address, true));
                    break;
                case JsonValueKind.Object:
                    var id = e.TryGetProperty("id", out var i) ? i.GetString() : null;
                    var addr = e.TryGetProperty("address", out var a) ? a.GetString() : null;
                    if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(addr)) throw new FormatException("peers.json: every server needs an id and an address");
                    var nonVoter = e.TryGetProperty("non_voter", out var nv) && nv.ValueKind == JsonValueKind.True;
                    servers.Add(new ServerInfo(id, addr, !nonVoter));
                    break;
                default:
                    throw new FormatException("peers.json: entries must be address strings or {id, address, non_voter} objects");
            }
        }
        if (!servers.Any(s => s.Voter)) throw new FormatException("peers.json: at least one voter is needed");
        return new RaftConfiguration(servers);
    }

    /// <summary>
    /// Applies <c>{dataDir}/raft/peers.json</c> if present: the configuration is appended as the
    /// newest log entry (so it is the one in force), and the file is deleted. Returns whether it ran.
    /// </summary>
    public static bool RecoverIfPresent(string dataDir, RaftStorage storage, ILogger logger)
    {
        var path = Path.Combine(dataDir, "raft", FileName);
        if (!File.Exists(path)) return false;
        var configuration = Parse(File.ReadAllText(path));
        var state = storage.Load();
        var lastIndex = state.Entries.Count > 0 ? state.Entries[^1].Index : state.Snapshot?.Index ?? 0;
        var lastTerm = state.Entries.Count > 0 ? state.Entries[^1].Term : state.Snapshot?.Term ?? 0;
        var term = Math.Max(Math.Max(lastTerm, state.HardState.Term), 1);
        storage.AppendRecovered(new LogEntry(lastIndex + 1, term, EntryType.Configuration, configuration.Encode()), term);
        File.Delete(path);
        logger.LogWarning("raft: found peers.json file, recovering Raft configuration: {Servers}",
            string.Join(", ", configuration.Servers.Select(s => $"{s.Id} ({s.Address}{(s.Voter ? "" : ", non-voter")})")));
        return true;
    }
}
