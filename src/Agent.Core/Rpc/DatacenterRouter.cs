using Consul.Core.Cluster;

namespace Consul.Core.Rpc;

/// <summary>
/// A server's side of cross-datacenter requests (Consul's forwardDC): a request for this
/// server's own datacenter runs here (<paramref name="runLocally"/>, the local HTTP API); one for
/// another datacenter goes over the server RPC to a server of that datacenter found in the WAN
/// pool, trying the next one when a server cannot be reached. A request that was routed here
/// over the WAN already is never routed again.
/// </summary>
public sealed class DatacenterRouter(
    string datacenter,
    Func<IReadOnlyList<MemberInfo>> wanMembers,
    ServerRpcClient rpc,
    Func<ForwardedHttpRequest, CancellationToken, Task<ForwardedHttpResponse>> runLocally,
    Random random) : IHttpForwardHandler
{
    public string Datacenter => datacenter;

    public Task<ForwardedHttpResponse> HandleAsync(ForwardedHttpRequest request, CancellationToken ct)
    {
        if (request.Datacenter == datacenter) return runLocally(request, ct);
        if (request.Forwarded) return Task.FromResult(ForwardedHttpResponse.NoPath());
        return RouteAsync(request, ct);
    }

    /// <summary>The servers a request for <paramref name="target"/> would try, in order.</summary>
    public IReadOnlyList<string> Candidates(string target)
    {
        lock (random) return WanRoutes.Candidates(wanMembers(), target, random);
    }

    private async Task<ForwardedHttpResponse> RouteAsync(ForwardedHttpRequest request, CancellationToken ct)
    {
        var candidates = Candidates(request.Datacenter);
        if (candidates.Count == 0) return ForwardedHttpResponse.NoPath();
        var outbound = request with { Forwarded = true };
        ServerRpcException? last = null;
        foreach (var server in candidates)
        {
            try
            {
                return await rpc.ForwardHttpAsync(server, outbound, ct);
            }
            catch (ServerRpcException e)
            {
                // Consul answers RPC failures as a 500 with the error text.
                if (!Retryable(e, request.Method)) return Failure(e);
                last = e;
            }
        }
        return Failure(last!);
    }

    /// <summary>Consul's HTTP layer answers a failed RPC with a 500 naming the call.</summary>
    public static ForwardedHttpResponse Failure(ServerRpcException e) =>
        ForwardedHttpResponse.Text(500, e.Message.StartsWith("rpc error", StringComparison.Ordinal) ? e.Message : $"rpc error making call to {e.Server}: {e.Message}");

    /// <summary>
    /// Another server may be tried when this one never got the request, or when it is unreachable
    /// and the request is a read (a write that may have been applied is not sent twice).
    /// </summary>
    public static bool Retryable(ServerRpcException e, string method) =>
        e.NeverSent || (string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) && e.StatusCode == Grpc.Core.StatusCode.Unavailable);
}
