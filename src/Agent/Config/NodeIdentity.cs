using System.Globalization;

namespace Consul.Agent.Config;

/// <summary>
/// Resolves the node ID like Consul's agent.setupNodeID: a configured ID must be a UUID;
/// otherwise data_dir/node-id is read, or a random UUID is generated and saved there.
/// In -dev mode (no data dir) a fresh random ID is used.
/// </summary>
internal static class NodeIdentity
{
    public const string FileName = "node-id";

    public static string Resolve(string configured, string dataDir, Random random, bool persist)
    {
        if (configured.Length > 0)
        {
            var id = configured.ToLowerInvariant();
            ThrowIfInvalid(id);
            return id;
        }
        if (dataDir.Length == 0 || !persist) return NewId(random);
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var id = File.ReadAllText(path).Trim().ToLowerInvariant();
            ThrowIfInvalid(id);
            return id;
        }
        var fresh = NewId(random);
        Directory.CreateDirectory(dataDir);
        File.WriteAllText(path, fresh);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return fresh;
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
