using Consul.Agent.Http;
using Consul.Core.Acl;
using Consul.Core.State;
using Consul.Ui.Acl;

namespace Consul.Agent.Acl;

/// <summary>
/// The UI's view of the agent's ACLs: a login secret is checked by the same <see cref="AclGate"/>
/// that guards the HTTP API, and pages filter with the authorizer the API would use for that secret.
/// </summary>
public sealed class UiTokenChecker(AclGate gate, StateStore store) : IUiTokenChecker
{
    public bool AclsEnabled => gate.Enabled;

    public Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default)
    {
        if (!gate.Enabled) return Task.FromResult(new UiTokenCheckResult(true, Description: "ACLs are disabled; any token is accepted"));
        // An empty secret would silently mean "anonymous"; a login needs a real token.
        if (string.IsNullOrWhiteSpace(secretId)) return Task.FromResult(Refused(AclErrors.NotFound));
        try
        {
            gate.Resolve(secretId);
        }
        catch (ApiException e)
        {
            return Task.FromResult(Refused(e.Message));
        }
        var token = AclReads.TokenBySecret(store.Current, secretId);
        var result = token is null
            // The agent recovery token resolves without being in the token table.
            ? new UiTokenCheckResult(true, gate.Resolver.AgentRecoveryAccessorId, "Agent Recovery Token")
            : new UiTokenCheckResult(true, token.AccessorID, token.Description);
        return Task.FromResult(result);
    }

    public Authorizer AuthorizerFor(string? secretId) => gate.ResolveOrDeny(secretId);

    private static UiTokenCheckResult Refused(string error) => new(false, Error: error);
}
