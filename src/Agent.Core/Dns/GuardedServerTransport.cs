using System.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>
/// Wraps an ARSoft server transport so every received packet passes <see cref="PacketGuard"/>
/// before the message parser: bad counts, sections or opcodes get FORMERR/NOTIMP (or nothing).
/// ARSoft's own transports already drop packets whose ID and first question do not parse
/// (it detects compression loops), so those never get here and get no reply.
/// </summary>
internal sealed class GuardedServerTransport(IServerTransport inner, bool disableCompression = false) : IServerTransport
{
    public bool DisableCompression => disableCompression;

    public ushort DefaultAllowedResponseSize => inner.DefaultAllowedResponseSize;
    public bool SupportsMultipleResponses => inner.SupportsMultipleResponses;
    public bool AllowTruncatedResponses => inner.AllowTruncatedResponses;
    public TransportProtocol TransportProtocol => inner.TransportProtocol;

    public void Bind() => inner.Bind();
    public void Close() => inner.Close();
    public void Dispose() => inner.Dispose();

    public async Task<IServerConnection?> AcceptConnectionAsync(CancellationToken token = default)
    {
        try
        {
            var connection = await inner.AcceptConnectionAsync(token);
            return connection is null ? null : new GuardedConnection(this, connection);
        }
        catch (Exception)
        {
            // ARSoft's accept loop is async void: an exception escaping it would end the process.
            return null;
        }
    }

    private sealed class GuardedConnection(GuardedServerTransport transport, IServerConnection inner) : IServerConnection
    {
        public IServerTransport Transport => transport;
        public IPEndPoint RemoteEndPoint => inner.RemoteEndPoint;
        public IPEndPoint LocalEndPoint => inner.LocalEndPoint;
        public bool CanRead => inner.CanRead;

        public Task<bool> InitializeAsync(CancellationToken token) => inner.InitializeAsync(token);
        public Task<bool> SendAsync(DnsRawPackage package, CancellationToken token) =>
            inner.SendAsync(transport.DisableCompression ? Uncompressed(package) : package, token);

        private static DnsRawPackage Uncompressed(DnsRawPackage package)
        {
            var expanded = NameDecompressor.Expand(package.ToArraySegment(false));
            return Framed(expanded);
        }
        public void Dispose() => inner.Dispose();

        /// <summary>ARSoft packages carry a two-byte length prefix in front of the message.</summary>
        private static DnsRawPackage Framed(byte[] message)
        {
            var framed = new byte[message.Length + DnsRawPackage.LENGTH_HEADER_LENGTH];
            framed[0] = (byte)(message.Length >> 8);
            framed[1] = (byte)message.Length;
            message.CopyTo(framed, DnsRawPackage.LENGTH_HEADER_LENGTH);
            return new DnsRawPackage(framed);
        }

        public async Task<DnsReceivedRawPackage?> ReceiveAsync(CancellationToken token)
        {
            while (true)
            {
                var package = await inner.ReceiveAsync(token);
                if (package is null) return null;
                var bytes = package.ToArraySegment(false);
                var verdict = PacketGuard.Check(bytes);
                if (verdict == PacketVerdict.Accept) return package;
                if (PacketGuard.Reply(bytes, verdict) is { } reply)
                {
                    await inner.SendAsync(Framed(reply), token);
                }
                // A UDP "connection" is one datagram; TCP may carry more queries.
                if (transport.TransportProtocol == TransportProtocol.Udp || !inner.CanRead) return null;
            }
        }
    }
}
