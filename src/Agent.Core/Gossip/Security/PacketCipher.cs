using System.Security.Cryptography;

namespace Consul.Core.Gossip.Security;

/// <summary>The message could not be decrypted with any installed key (or was not encrypted).</summary>
public sealed class GossipDecryptException(string message) : Exception(message);

/// <summary>
/// AES-GCM for gossip packets: marker byte, 12-byte random nonce, ciphertext, 16-byte tag.
/// The marker differs from a plain packet's first byte, so plain and encrypted traffic
/// are told apart when verification of incoming traffic is off (during a key rollout).
/// </summary>
public static class PacketCipher
{
    public const byte EncryptedMarker = 0x81;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    public const int Overhead = 1 + NonceSize + TagSize;

    public static bool LooksEncrypted(ReadOnlySpan<byte> data) => data.Length > 0 && data[0] == EncryptedMarker;

    public static byte[] Encrypt(byte[] key, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[Overhead + plaintext.Length];
        output[0] = EncryptedMarker;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize, plaintext.Length), output.AsSpan(1 + NonceSize + plaintext.Length, TagSize), [EncryptedMarker]);
        return output;
    }

    /// <summary>Tries every key; throws <see cref="GossipDecryptException"/> when none fits.</summary>
    public static byte[] Decrypt(IReadOnlyList<byte[]> keys, ReadOnlySpan<byte> data)
    {
        if (!LooksEncrypted(data)) throw new GossipDecryptException("message is not encrypted");
        if (data.Length < Overhead) throw new GossipDecryptException("encrypted message too short");
        var nonce = data.Slice(1, NonceSize);
        var cipher = data.Slice(1 + NonceSize, data.Length - Overhead);
        var tag = data[^TagSize..];
        var plain = new byte[cipher.Length];
        foreach (var key in keys)
        {
            try
            {
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(nonce, cipher, tag, plain, [EncryptedMarker]);
                return plain;
            }
            catch (AuthenticationTagMismatchException) { }
        }
        throw new GossipDecryptException("No installed keys could decrypt the message");
    }
}
