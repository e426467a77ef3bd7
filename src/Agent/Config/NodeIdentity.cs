using System.Globalization;

namespace Consul.Agent.Config;

/// <summary>
/// Resolves the node ID like Consul's agent.setupNodeID: a configured ID must be a UUID;
/// otherwise data_dir/node-id is read, or a new ID is made and saved there. A new ID is random,
/// or with disable_host_node_id = false derived from the host's UUID (hashed with SHA-512, as
/// Consul's makeNodeID does, since hosts of one cloud or batch may have similar UUIDs).
/// In -dev mode (no data dir) a fresh ID is used.
/// </summary>
internal static class NodeIdentity
{
    public const string FileName = "node-id";

    /// <param name="hostId">The host's UUID source when host-based IDs are on; null for random IDs.</param>
    public static string Resolve(string configured, string dataDir, Random random, bool persist, Func<string?>? hostId = null)
    {
        if (configured.Length > 0)
        {
            var id = configured.ToLowerInvariant();
            ThrowIfInvalid(id);
            return id;
        }
        if (dataDir.Length == 0 || !persist) return MakeId(random, hostId);
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var id = File.ReadAllText(path).Trim().ToLowerInvariant();
            ThrowIfInvalid(id);
            return id;
        }
        var fresh = MakeId(random, hostId);
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(path, fresh);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return fresh;
    }

    private static string MakeId(Random random, Func<string?>? hostId)
    {
        if (hostId?.Invoke()?.Trim().ToLowerInvariant() is not { } id) return NewId(random);
        try
        {
            ThrowIfInvalid(id);
        }
        catch (ConfigException)
        {
            return NewId(random); // not a UUID: Consul falls back to a random ID
        }
        var h = System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(id));
        var hex = Convert.ToHexStringLower(h.AsSpan(0, 16));
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }

    /// <summary>
    /// The host's UUID as gopsutil reads it on Linux: the DMI product UUID, else /etc/machine-id
    /// (32 hex digits, given the UUID's dashes), else the boot ID; null when none is readable.
    /// </summary>
    public static string? ReadHostId()
    {
        foreach (var path in new[] { "/sys/class/dmi/id/product_uuid", "/etc/machine-id", "/proc/sys/kernel/random/boot_id" })
        {
            try
            {
                var text = File.ReadAllText(path).Trim();
                if (text.Length == 32 && !text.Contains('-'))
                    text = $"{text[..8]}-{text[8..12]}-{text[12..16]}-{text[16..20]}-{text[20..]}";
                if (text.Length > 0) return text;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return null;
    }

    /// <summary>Random (version 4) UUID from the injected generator.</summary>
    public static string NewId(Random random)
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    /// <summary>hashicorp/go-uuid ParseUUID's checks and messages.</summary>
    public static void ThrowIfInvalid(string id)
    {
        if (id.Length != 36) throw new ConfigException("uuid string is wrong length");
        if (id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-')
            throw new ConfigException("uuid is improperly formatted");
        foreach (var ch in id.Replace("-", "", StringComparison.Ordinal))
            if (!Uri.IsHexDigit(ch))
                throw new ConfigException(string.Create(CultureInfo.InvariantCulture,
                    $"encoding/hex: invalid byte: U+{(int)ch:X4} '{ch}'"));
    }
}
