using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>A /v1/kv entry as the CLI reads it (api.KVPair).</summary>
internal sealed record KvPair(string Key, ulong CreateIndex, ulong ModifyIndex, ulong LockIndex, ulong Flags, byte[] Value, string Session)
{
    public static KvPair From(JsonNode n) => new(
        n["Key"]?.GetValue<string>() ?? "",
        n["CreateIndex"]?.GetValue<ulong>() ?? 0,
        n["ModifyIndex"]?.GetValue<ulong>() ?? 0,
        n["LockIndex"]?.GetValue<ulong>() ?? 0,
        n["Flags"]?.GetValue<ulong>() ?? 0,
        n["Value"]?.GetValue<string>() is { } v ? Convert.FromBase64String(v) : [],
        n["Session"]?.GetValue<string>() ?? "");

    public static List<KvPair> ListFrom(byte[] json) =>
        (JsonNode.Parse(json)?.AsArray() ?? []).Where(n => n is not null).Select(n => From(n!)).ToList();

    /// <summary>Strips one leading "/" as Consul's kv commands do for user convenience.</summary>
    public static string TrimKey(string key) => key.Length > 0 && key[0] == '/' ? key[1..] : key;
}
