using Consul.Core.Rpc;

namespace Consul.Agent.Http;

/// <summary>
/// Sends a request to another datacenter: a server routes it over the WAN itself, a client agent
/// hands it to one of its servers. A lone (dev) agent has none, and answers ?dc itself.
/// </summary>
public sealed class DatacenterForwarder(Func<ForwardedHttpRequest, CancellationToken, Task<ForwardedHttpResponse>> forward)
{
    public Task<ForwardedHttpResponse> ForwardAsync(ForwardedHttpRequest request, CancellationToken ct) => forward(request, ct);
}
