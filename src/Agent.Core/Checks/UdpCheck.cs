using System.Net;
using System.Net.Sockets;
using Consul.Core.Model;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckUDP: sends an empty datagram and waits for a reply. A reply, or silence until
/// Timeout, is passing ("UDP connect host:port: Success"); an error such as ICMP port
/// unreachable ("connection refused") is critical. Consul sets no read deadline and relies on
/// an "i/o timeout" error; here the check's Timeout (default 10s) bounds the wait.
/// </summary>
internal sealed class UdpCheck : IntervalCheck
{
    private readonly string _address;
    private readonly TimeSpan _timeout;

    public UdpCheck(CheckSettings s) : base(s)
    {
        _address = s.Definition.UDP!;
        _timeout = s.NetworkTimeout;
    }

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        var success = $"UDP connect {_address}: Success";
        if (!HostPort.TryParse(_address, out var host, out var port, out var parseError))
        {
            Report(HealthStatus.Critical, $"dial udp {parseError}");
            return;
        }

        using var timer = new CancellationTokenSource(_timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        IPAddress target;
        try
        {
            target = await ResolveAsync(host, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Report(HealthStatus.Passing, success); // Consul treats a dial timeout as success too.
            return;
        }
        catch (SocketException)
        {
            Report(HealthStatus.Critical, $"dial udp {_address}: lookup {host}: no such host");
            return;
        }

        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        var remote = new IPEndPoint(target, port);
        try
        {
            await socket.ConnectAsync(remote, linked.Token).ConfigureAwait(false);
            await socket.SendAsync(ReadOnlyMemory<byte>.Empty, SocketFlags.None, linked.Token).ConfigureAwait(false);
            var buffer = new byte[1];
            await socket.ReceiveAsync(buffer, SocketFlags.None, linked.Token).ConfigureAwait(false);
            Report(HealthStatus.Passing, success);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Report(HealthStatus.Passing, success);
        }
        catch (SocketException e)
        {
            Report(HealthStatus.Critical, $"read udp {socket.LocalEndPoint}->{remote}: {GoErrorText.SocketReason(e, "read")}");
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var ip)) return ip;
        var all = await System.Net.Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        if (all.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        return Array.Find(all, a => a.AddressFamily == AddressFamily.InterNetwork) ?? all[0];
    }
}
