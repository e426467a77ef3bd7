namespace Consul.Ui.Acl;

/// <summary>What the UI learns about an ACL token at login.</summary>
/// <param name="Valid">Whether the token may be used.</param>
/// <param name="AccessorId">The token's public ID, when known.</param>
/// <param name="Description">The token's description, shown after login.</param>
/// <param name="Error">Why the token was refused (Consul's wording, e.g. "ACL not found").</param>
public sealed record UiTokenCheckResult(bool Valid, string AccessorId = "", string Description = "", string? Error = null);

/// <summary>
/// How the UI decides whether an ACL token is acceptable. The ACL subsystem provides the real
/// implementation (resolving the secret against its token table); until then
/// <see cref="AllowAllTokenChecker"/> accepts every token and reports ACLs as disabled.
/// </summary>
public interface IUiTokenChecker
{
    /// <summary>False while ACLs are off: the UI shows everything and the login is only a placeholder.</summary>
    bool AclsEnabled { get; }

    Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default);
}
