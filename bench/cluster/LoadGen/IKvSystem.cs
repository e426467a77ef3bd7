namespace Consul.Bench.Cluster;

/// <summary>The two calls the load rows make.</summary>
public interface IKvLoad
{
    string Name { get; }

    /// <summary>Write the value; true when the store acknowledged it as committed.</summary>
    Task<bool> PutAsync(HttpClient http, string node, string key, byte[] value, CancellationToken ct);

    /// <summary>Read the key with the given read mode (the system's default when null); true on a successful answer.</summary>
    Task<bool> GetAsync(HttpClient http, string node, string key, string? mode, CancellationToken ct);
}

/// <summary>
/// What the benchmark needs from a replicated KV store: writes, reads, and which node leads.
/// Node URLs are the HTTP base addresses of the members, in the order the script started them.
/// </summary>
public interface IKvSystem : IKvLoad
{
    /// <summary>Read the key from this node's local copy (no leader round trip); null when absent or unreachable.</summary>
    Task<byte[]?> LocalReadAsync(HttpClient http, string node, string key, CancellationToken ct);

    /// <summary>Index into <paramref name="nodes"/> of the leader this node reports, or -1 (none, unknown, unreachable).</summary>
    Task<int> ReportedLeaderAsync(HttpClient http, string node, IReadOnlyList<string> nodes, CancellationToken ct);
}
