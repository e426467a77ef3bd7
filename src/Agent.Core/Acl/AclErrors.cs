namespace Consul.Core.Acl;

/// <summary>Consul's fixed ACL error texts (acl/errors.go); other tools match on them, so keep them verbatim.</summary>
public static class AclErrors
{
    public const string NotFound = "ACL not found";
    public const string RootDenied = "Cannot resolve root ACL";
    public const string Disabled = "ACL support disabled";
    public const string PermissionDenied = "Permission denied";
    public const string InvalidParent = "Invalid Parent";

    public static bool IsNotFound(string? message) => message?.Contains(NotFound, StringComparison.Ordinal) == true;
    public static bool IsPermissionDenied(string? message) => message?.Contains(PermissionDenied, StringComparison.Ordinal) == true;
}

/// <summary>The secret names no token, or an expired one ("ACL not found").</summary>
public sealed class AclNotFoundException() : Exception(AclErrors.NotFound);

/// <summary>The secret is one of the reserved root names "allow", "deny", "manage".</summary>
public sealed class AclRootDeniedException() : Exception(AclErrors.RootDenied);

/// <summary>
/// An ACL rejection with Consul's text, e.g.
/// <c>Permission denied: token with AccessorID 'x' lacks permission 'key:write' on "foo"</c>.
/// </summary>
public sealed class PermissionDeniedException : Exception
{
    public string? Cause { get; }
    public string? Accessor { get; }
    public string? Resource { get; }
    public AccessLevel AccessLevel { get; }
    public string? ResourceName { get; }

    /// <summary>A denial with a free-text cause: "Permission denied: {cause}".</summary>
    public PermissionDeniedException(string cause) : base($"{AclErrors.PermissionDenied}: {cause}") => Cause = cause;

    public PermissionDeniedException(string? accessor, string resource, AccessLevel level, string? resourceName)
        : base(Format(accessor, resource, level, resourceName))
    {
        Accessor = accessor;
        Resource = resource;
        AccessLevel = level;
        ResourceName = resourceName;
    }

    private static string Format(string? accessor, string resource, AccessLevel level, string? name)
    {
        bool anonymous = accessor == AclBuiltins.AnonymousTokenId;
        var msg = AclErrors.PermissionDenied + (anonymous ? ": anonymous token" : $": token with AccessorID '{accessor}'");
        msg += $" lacks permission '{resource}:{level.ToPolicyString()}'";
        // Quoted verbatim, not Go-escaped (acl/errors_ce.go ResourceDescriptor.ToString).
        if (!string.IsNullOrEmpty(name)) msg += " on \"" + name + "\"";
        if (anonymous) msg += ". The anonymous token is used implicitly when a request does not specify a token.";
        return msg;
    }
}
