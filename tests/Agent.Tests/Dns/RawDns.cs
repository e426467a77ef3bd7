using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Consul.Tests.Dns;

/// <summary>Hand-built query packets and raw UDP/TCP exchanges, for malformed-input tests.</summary>
internal static class RawDns
{
    public static byte[] Query(ushort id, string name, ushort type, ushort? ednsSize = null, byte flags2 = 0x01)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, flags2, 0x00, 0, 1, 0, 0, 0, 0, 0, (byte)(ednsSize is null ? 0 : 1) };
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        if (ednsSize is { } size) bytes.AddRange([0, 0, 41, (byte)(size >> 8), (byte)size, 0, 0, 0, 0, 0, 0]);
        return bytes.ToArray();
    }

    /// <summary>Sends one datagram and waits up to <paramref name="wait"/> for a reply (null if none).</summary>
    public static async Task<byte[]?> UdpExchangeAsync(IPEndPoint server, byte[] packet, TimeSpan wait)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(packet, server);
        using var cts = new CancellationTokenSource(wait);
        try { return (await udp.ReceiveAsync(cts.Token)).Buffer; }
        catch (OperationCanceledException) { return null; }
    }

    public static async Task WriteFramedAsync(Stream stream, byte[] message)
    {
        await stream.WriteAsync(new[] { (byte)(message.Length >> 8), (byte)message.Length });
        await stream.WriteAsync(message);
    }

    public static async Task<byte[]> ReadFramedAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[2];
        await stream.ReadExactlyAsync(header, ct);
        var body = new byte[(header[0] << 8) | header[1]];
        await stream.ReadExactlyAsync(body, ct);
        return body;
    }

    public static ushort Id(byte[] m) => (ushort)((m[0] << 8) | m[1]);
    public static int Rcode(byte[] m) => m[3] & 0x0F;
    public static bool IsResponse(byte[] m) => (m[2] & 0x80) != 0;
    public static bool IsTruncated(byte[] m) => (m[2] & 0x02) != 0;
    public static int AnswerCount(byte[] m) => (m[6] << 8) | m[7];
}
