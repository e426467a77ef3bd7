using System.Text.Json;

namespace Consul.Core.Gossip.Security;

/// <summary>
/// The keyring persisted in the data directory (Consul: serf/local.keyring for LAN,
/// serf/remote.keyring for WAN) as a JSON array of base64 keys, primary first. A
/// <see cref="Keyring.MemoryOnly"/> keyring (disable_keyring_file) is never written.
/// </summary>
public static class KeyringFile
{
    public static Keyring? Load(string path)
    {
        if (!File.Exists(path)) return null;
        var keys = JsonSerializer.Deserialize<string[]>(File.ReadAllText(path))
                   ?? throw new InvalidDataException($"Invalid keyring file {path}");
        return Keyring.FromBase64(keys);
    }

    public static void Save(string path, Keyring keyring)
    {
        if (keyring.MemoryOnly) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var json = JsonSerializer.Serialize(keyring.Keys.Select(Convert.ToBase64String).ToArray());
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, json);
        File.Move(tmp, path, overwrite: true);
    }
}
