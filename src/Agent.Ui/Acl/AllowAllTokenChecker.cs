namespace Consul.Ui.Acl;

/// <summary>ACLs disabled: every token is accepted, as Consul does when acl.enabled is false.</summary>
public sealed class AllowAllTokenChecker : IUiTokenChecker
{
    public bool AclsEnabled => false;

    public Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default) =>
        Task.FromResult(new UiTokenCheckResult(true, Description: "ACLs are disabled; any token is accepted"));
}
