using Consul.Core.Acl;

namespace Consul.Ui.Acl;

/// <summary>What the UI learns about an ACL token at login.</summary>
/// <param name="Valid">Whether the token may be used.</param>
/// <param name="AccessorId">The token's public ID, when known.</param>
/// <param name="Description">The token's description, shown after login.</param>
/// <param name="Error">Why the token was refused (Consul's wording, e.g. "ACL not found").</param>
public sealed record UiTokenCheckResult(bool Valid, string AccessorId = "", string Description = "", string? Error = null);

/// <summary>
/// How the UI decides whether an ACL token is acceptable and what it may see. The agent provides
/// the real implementation over its ACL gate; <see cref="AllowAllTokenChecker"/> stands in when
/// ACLs are off (or no host registered one).
/// </summary>
public interface IUiTokenChecker
{
    /// <summary>False while ACLs are off: the UI shows everything and offers no login.</summary>
    bool AclsEnabled { get; }

    /// <summary>Validates a secret at login (unknown or expired → Error "ACL not found").</summary>
    Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default);

    /// <summary>
    /// The authorizer pages filter with, resolved now (so policy edits apply on the next refresh):
    /// null or empty means the agent's default token, then anonymous, exactly as an API request
    /// without a token; a secret that no longer resolves denies everything.
    /// </summary>
    Authorizer AuthorizerFor(string? secretId);
}
