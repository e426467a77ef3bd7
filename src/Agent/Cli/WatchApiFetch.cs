using Consul.Core.Watches;

namespace Consul.Agent.Cli;

/// <summary>Adapts the CLI's API client to the watch engine's fetch delegate.</summary>
internal static class WatchApiFetch
{
    public static WatchFetch For(ConsulApiClient client) => async (request, cancellation) =>
    {
        var resp = await client.SendAsync(HttpMethod.Get, request.Path, request.Query).WaitAsync(cancellation);
        return new WatchHttpResult(resp.StatusCode, resp.Body, LockKvClient.IndexOf(resp));
    };
}
