using System.Text.Json.Nodes;
using Consul.Core.Util;

namespace Consul.Agent.Http;

/// <summary>
/// Consul's CheckType decoding extras, applied to a request body before it is bound: durations
/// may be Go duration strings or numbers of nanoseconds, and a few snake_case keys are aliases.
/// </summary>
public static class CheckJsonAliases
{
    private static readonly (string Snake, string Pascal)[] Aliases =
    [
        ("script_args", "ScriptArgs"),
        ("deregister_critical_service_after", "DeregisterCriticalServiceAfter"),
        ("docker_container_id", "DockerContainerID"),
        ("tls_server_name", "TLSServerName"),
        ("tls_skip_verify", "TLSSkipVerify"),
        ("grpc_use_tls", "GRPCUseTLS"),
        ("service_id", "ServiceID"),
    ];

    private static readonly string[] Durations = ["Interval", "Timeout", "TTL", "DeregisterCriticalServiceAfter"];

    /// <summary>A service definition: its Check and every entry of Checks.</summary>
    public static void NormalizeService(JsonNode? body)
    {
        if (body is not JsonObject service) return;
        if (Find(service, "Check") is JsonObject check) NormalizeCheck(check);
        if (Find(service, "Checks") is JsonArray checks)
            foreach (var c in checks) NormalizeCheck(c);
    }

    public static void NormalizeCheck(JsonNode? body)
    {
        if (body is not JsonObject check) return;
        foreach (var (snake, pascal) in Aliases)
        {
            if (!check.TryGetPropertyValue(snake, out var value)) continue;
            check.Remove(snake);
            // The PascalCase key wins when both are given.
            if (FindKey(check, pascal) is null) check[pascal] = value;
        }
        foreach (var name in Durations)
        {
            var key = FindKey(check, name);
            if (key is null || check[key] is not JsonValue v || !v.TryGetValue<double>(out var nanos)) continue;
            // Out-of-range numbers stay numbers and fail binding as a bad request.
            if (double.IsNaN(nanos) || Math.Abs(nanos / 100) >= TimeSpan.MaxValue.Ticks) continue;
            check[key] = GoDuration.Format(TimeSpan.FromTicks((long)(nanos / 100)));
        }
    }

    private static JsonNode? Find(JsonObject o, string name) => FindKey(o, name) is { } k ? o[k] : null;

    // Go's encoding/json matches field names case-insensitively.
    private static string? FindKey(JsonObject o, string name) =>
        o.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
}
