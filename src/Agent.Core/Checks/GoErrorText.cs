using System.Net.Sockets;

namespace Consul.Core.Checks;

/// <summary>
/// Check outputs carry Go's error strings in Consul; this renders .NET socket errors the same
/// way ("dial tcp 127.0.0.1:1: connect: connection refused") so outputs read alike.
/// </summary>
internal static class GoErrorText
{
    public static string Dial(string network, string address, Exception error) =>
        $"dial {network} {address}: {SocketReason(error, "connect")}";

    public static string DialTimeout(string network, string address) => $"dial {network} {address}: i/o timeout";

    /// <summary>The part after "dial tcp addr: ", e.g. "connect: connection refused".</summary>
    public static string SocketReason(Exception error, string op)
    {
        var socket = Find<SocketException>(error);
        if (socket is null) return error.Message;
        return socket.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => $"{op}: connection refused",
            SocketError.ConnectionReset => $"{op}: connection reset by peer",
            SocketError.HostUnreachable => $"{op}: no route to host",
            SocketError.NetworkUnreachable => $"{op}: network is unreachable",
            SocketError.TimedOut => "i/o timeout",
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "no such host",
            SocketError.AddressNotAvailable => $"{op}: cannot assign requested address",
            _ => $"{op}: {socket.Message.ToLowerInvariant()}",
        };
    }

    /// <summary>Go's url.Error op: "Get", "Post", ... (first letter upper, rest lower).</summary>
    public static string HttpOp(string method) =>
        method.Length == 0 ? method : char.ToUpperInvariant(method[0]) + method[1..].ToLowerInvariant();

    public static T? Find<T>(Exception? error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
            if (e is T t) return t;
        return null;
    }
}
