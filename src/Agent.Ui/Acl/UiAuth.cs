using System.Security.Claims;

namespace Consul.Ui.Acl;

/// <summary>
/// The UI's cookie sign-in: the scheme name and the claims the (data-protected) cookie carries.
/// The token's secret lives only inside the encrypted ticket; the browser never sees it again
/// after the login form.
/// </summary>
public static class UiAuth
{
    public const string Scheme = "ConsulUi";
    public const string CookieName = "consul-ui-token";
    public const string SecretClaim = "consul:secret";
    public const string AccessorClaim = "consul:accessor";
    public const string DescriptionClaim = "consul:description";

    public static ClaimsPrincipal PrincipalFor(string secret, UiTokenCheckResult info)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(SecretClaim, secret),
            new Claim(AccessorClaim, info.AccessorId),
            new Claim(DescriptionClaim, info.Description),
            new Claim(ClaimTypes.Name, info.AccessorId is { Length: > 0 } a ? a : "token"),
        ], Scheme);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The secret of a signed-in UI user, or null (anonymous).</summary>
    public static string? SecretOf(ClaimsPrincipal? user) =>
        user?.FindFirst(SecretClaim)?.Value is { Length: > 0 } s ? s : null;

    /// <summary>What the login recorded about the token, or null when not signed in.</summary>
    public static UiTokenCheckResult? InfoOf(ClaimsPrincipal? user) =>
        SecretOf(user) is null
            ? null
            : new UiTokenCheckResult(true, user!.FindFirst(AccessorClaim)?.Value ?? "", user.FindFirst(DescriptionClaim)?.Value ?? "");
}
