using Consul.Core.Acl;

namespace Consul.Ui.Acl;

/// <summary>ACLs disabled: every token is accepted and everything is visible, as in Consul with acl.enabled = false.</summary>
public sealed class AllowAllTokenChecker : IUiTokenChecker
{
    public bool AclsEnabled => false;

    public Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default) =>
        Task.FromResult(new UiTokenCheckResult(true, Description: "ACLs are disabled; any token is accepted"));

    public Authorizer AuthorizerFor(string? secretId) => AclResolver.DisabledAuthorizer;
}
