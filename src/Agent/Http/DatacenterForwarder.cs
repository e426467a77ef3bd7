using Consul.Core.Rpc;

namespace Consul.Agent.Http;

/// <summary>
/// Sends a request to another datacenter: a server routes it over the WAN itself, a client agent
/// hands it to one of its servers. A lone (dev) agent has none, and answers ?dc itself.
/// </summary>
public sealed class DatacenterForwarder(Func<ForwardedHttpRequest, CancellationToken, Task<ForwardedHttpResponse>> forward)
{
    public Task<ForwardedHttpResponse> ForwardAsync(ForwardedHttpRequest request, CancellationToken ct) => forward(request, ct);

    /// <summary>A read the agent makes for itself (DNS, prepared-query failover): GET with the given token, bounded by <paramref name="timeout"/>.</summary>
    public async Task<ForwardedHttpResponse> GetAsync(string datacenter, string pathAndQuery, string? token, TimeSpan timeout, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        return await forward(new ForwardedHttpRequest
        {
            Datacenter = datacenter,
            Method = "GET",
            PathAndQuery = pathAndQuery,
            Headers = string.IsNullOrEmpty(token) ? [] : [new("X-Consul-Token", token)],
        }, bounded.Token);
    }
}
