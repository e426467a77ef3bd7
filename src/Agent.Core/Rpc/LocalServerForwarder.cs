namespace Consul.Core.Rpc;

/// <summary>
/// A client agent's side of cross-datacenter requests: it has no WAN view, so every request for
/// another datacenter goes to one of its own servers (the one its replica follows), which routes
/// it on. A server that cannot be reached is dropped for another, as for forwarded writes.
/// </summary>
public sealed class LocalServerForwarder(Func<string?> pickServer, Action<string> abandon, ServerRpcClient rpc)
{
    /// <summary>Attempts before giving up: one server and, if it is unreachable, up to two others.</summary>
    public const int Attempts = 3;

    public async Task<ForwardedHttpResponse> ForwardAsync(ForwardedHttpRequest request, CancellationToken ct)
    {
        ServerRpcException? last = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (pickServer() is not { } server) break;
            try
            {
                return await rpc.ForwardHttpAsync(server, request with { Forwarded = false }, ct);
            }
            catch (ServerRpcException e)
            {
                if (e.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded) abandon(server);
                if (!DatacenterRouter.Retryable(e, request.Method)) return DatacenterRouter.Failure(e);
                last = e;
            }
        }
        // Consul's client agent: "No known Consul servers" when it has none to ask.
        return last is null ? ForwardedHttpResponse.Text(500, "No known Consul servers") : DatacenterRouter.Failure(last);
    }
}
