namespace Consul.Core.Rpc;

/// <summary>
/// The ACL token of the request being served, for the server RPC calls made on its behalf: a
/// write forwarded to the leader carries the requester's token (as Consul's forwarded RPCs do),
/// so a server without an agent token can still forward what a user with a valid token asked.
/// Flows with the request's async context; unset, calls carry the agent's own token.
/// </summary>
public static class RpcCallerToken
{
    private static readonly AsyncLocal<string?> CurrentToken = new();

    public static string? Current
    {
        get => CurrentToken.Value;
        set => CurrentToken.Value = value;
    }
}
