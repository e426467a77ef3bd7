using System.Security.Cryptography;

namespace Consul.Core.Gossip.Security;

/// <summary>
/// Gossip encryption keys. The primary key encrypts; every installed key is tried when
/// decrypting, so a new key can be rolled out before it becomes primary. Thread-safe.
/// </summary>
public sealed class Keyring
{
    private readonly object _gate = new();
    private List<byte[]> _keys = new();

    public Keyring(IEnumerable<byte[]>? keys = null)
    {
        foreach (var k in keys ?? []) Install(k);
    }

    public static Keyring FromBase64(IEnumerable<string> keys) => new(keys.Select(DecodeKey));

    /// <summary>Decodes and validates a base64 key (as `consul keygen` prints).</summary>
    public static byte[] DecodeKey(string base64)
    {
        byte[] key;
        try { key = Convert.FromBase64String(base64.Trim()); }
        catch (FormatException) { throw new ArgumentException("Invalid key: illegal base64 data"); }
        ValidateKey(key);
        return key;
    }

    public static void ValidateKey(byte[] key)
    {
        if (key.Length is not (16 or 24 or 32))
            throw new ArgumentException("key size must be 16, 24 or 32 bytes");
    }

    /// <summary>A fresh random 32-byte key in base64, like `consul keygen`.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// disable_keyring_file: the keys live in memory only. <see cref="KeyringFile.Save"/> writes
    /// nothing for such a keyring, so installs, uses and removes are lost on restart.
    /// </summary>
    public bool MemoryOnly { get; init; }

    public bool Enabled { get { lock (_gate) return _keys.Count > 0; } }

    public byte[]? PrimaryKey { get { lock (_gate) return _keys.Count > 0 ? _keys[0] : null; } }

    /// <summary>All keys, primary first.</summary>
    public IReadOnlyList<byte[]> Keys { get { lock (_gate) return _keys.ToList(); } }

    /// <summary>Adds a key (the first one installed becomes primary).</summary>
    public void Install(byte[] key)
    {
        ValidateKey(key);
        lock (_gate)
        {
            if (_keys.Any(k => k.AsSpan().SequenceEqual(key))) return;
            _keys = [.. _keys, key];
        }
    }

    /// <summary>Makes an installed key the primary.</summary>
    public void Use(byte[] key)
    {
        lock (_gate)
        {
            var idx = _keys.FindIndex(k => k.AsSpan().SequenceEqual(key));
            if (idx < 0) throw new InvalidOperationException("Requested key is not in the keyring");
            var copy = _keys.ToList();
            copy.RemoveAt(idx);
            copy.Insert(0, key);
            _keys = copy;
        }
    }

    public void Remove(byte[] key)
    {
        lock (_gate)
        {
            var idx = _keys.FindIndex(k => k.AsSpan().SequenceEqual(key));
            if (idx == 0) throw new InvalidOperationException("Removing the primary key is not allowed");
            if (idx < 0) return;
            var copy = _keys.ToList();
            copy.RemoveAt(idx);
            _keys = copy;
        }
    }
}
