using Consul.Core.Model;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckGRPC: calls grpc.health.v1.Health/Check on "host:port[/service]". SERVING is
/// passing ("gRPC check target: success"); any other status or error is critical. Plain-text
/// HTTP/2 unless GRPCUseTLS. A new connection per probe, as Consul dials each time.
/// </summary>
internal sealed class GrpcCheck : IntervalCheck
{
    private readonly string _target;
    private readonly string _server;
    private readonly string _service;
    private readonly TimeSpan _timeout;
    private readonly bool _useTls;
    private readonly CheckSettings _settings;

    public GrpcCheck(CheckSettings s) : base(s)
    {
        _settings = s;
        _target = s.Definition.GRPC!;
        var slash = _target.IndexOf('/');
        _server = slash < 0 ? _target : _target[..slash];
        _service = slash < 0 ? "" : _target[(slash + 1)..];
        _timeout = s.NetworkTimeout;
        _useTls = s.Definition.GRPCUseTLS;
    }

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        if (!HostPort.TryParse(_server, out _, out _, out var parseError))
        {
            Report(HealthStatus.Critical, $"dial tcp {parseError}");
            return;
        }

        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        if (_useTls) handler.SslOptions = CheckTls.Options(_settings.Definition.TLSSkipVerify, _settings.Definition.TLSServerName, _settings.Options);
        using var channel = GrpcChannel.ForAddress((_useTls ? "https://" : "http://") + _server, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
        });
        var client = new Health.HealthClient(channel);

        using var timer = new CancellationTokenSource(_timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        HealthCheckResponse response;
        try
        {
            response = await client.CheckAsync(new HealthCheckRequest { Service = _service }, cancellationToken: linked.Token).ConfigureAwait(false);
        }
        catch (RpcException) when (timer.IsCancellationRequested && !stop.IsCancellationRequested)
        {
            Report(HealthStatus.Critical, "rpc error: code = DeadlineExceeded desc = context deadline exceeded");
            return;
        }
        catch (RpcException e) when (!stop.IsCancellationRequested)
        {
            Report(HealthStatus.Critical, $"rpc error: code = {e.StatusCode} desc = {Describe(e)}");
            return;
        }

        if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
            Report(HealthStatus.Passing, $"gRPC check {_target}: success");
        else
            Report(HealthStatus.Critical, $"gRPC {_target} serving status: {GoName(response.Status)}");
    }

    private string Describe(RpcException e)
    {
        if (GoErrorText.Find<System.Net.Sockets.SocketException>(e) is { } se)
            return $"connection error: desc = \"transport: Error while dialing: {GoErrorText.Dial("tcp", _server, se)}\"";
        return e.Status.Detail;
    }

    /// <summary>The proto enum names Go prints: SERVING, NOT_SERVING, SERVICE_UNKNOWN, UNKNOWN.</summary>
    private static string GoName(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        HealthCheckResponse.Types.ServingStatus.Unknown => "UNKNOWN",
        _ => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
