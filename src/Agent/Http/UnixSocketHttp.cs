using System.Net.Sockets;

namespace Consul.Agent.Http;

/// <summary>HTTP over a Unix socket: a SocketsHttpHandler connect callback (the CLI's unix:// addresses, forwarded requests).</summary>
public static class UnixSocketHttp
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(string path) => async (_, ct) =>
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await s.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
            return new NetworkStream(s, ownsSocket: true);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    };
}
