using System.Net.Sockets;
using Consul.Core.Model;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckTCP: passing when a connection opens within Timeout
/// ("TCP connect host:port: Success"), critical with the dial error otherwise.
/// </summary>
internal sealed class TcpCheck : IntervalCheck
{
    private readonly string _address;
    private readonly TimeSpan _timeout;

    public TcpCheck(CheckSettings s) : base(s)
    {
        _address = s.Definition.TCP!;
        _timeout = s.NetworkTimeout;
    }

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        if (!HostPort.TryParse(_address, out var host, out var port, out var parseError))
        {
            Report(HealthStatus.Critical, $"dial tcp {parseError}");
            return;
        }

        using var timer = new CancellationTokenSource(_timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        // Dual-mode socket: IPv4 and IPv6 targets alike, like Go's dialer.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Report(HealthStatus.Critical, GoErrorText.DialTimeout("tcp", _address));
            return;
        }
        catch (SocketException e)
        {
            Report(HealthStatus.Critical, GoErrorText.Dial("tcp", _address, e));
            return;
        }
        Report(HealthStatus.Passing, $"TCP connect {_address}: Success");
    }
}
