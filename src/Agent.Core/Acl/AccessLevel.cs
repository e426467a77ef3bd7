namespace Consul.Core.Acl;

/// <summary>Access granted by one rule, ordered so that a larger value grants more (deny lowest).</summary>
public enum AccessLevel
{
    Unknown = 0,
    Deny,
    Read,
    List,
    Write,
}

/// <summary>Conversions between rule text ("read", "write", ...) and <see cref="AccessLevel"/>.</summary>
public static class AccessLevels
{
    public const string PolicyDeny = "deny";
    public const string PolicyRead = "read";
    public const string PolicyList = "list";
    public const string PolicyWrite = "write";

    /// <summary>Case-insensitive, as Consul's AccessLevelFromString.</summary>
    public static AccessLevel Parse(string? text) => text?.ToLowerInvariant() switch
    {
        PolicyDeny => AccessLevel.Deny,
        PolicyRead => AccessLevel.Read,
        PolicyList => AccessLevel.List,
        PolicyWrite => AccessLevel.Write,
        _ => AccessLevel.Unknown,
    };

    public static string ToPolicyString(this AccessLevel level) => level switch
    {
        AccessLevel.Deny => PolicyDeny,
        AccessLevel.Read => PolicyRead,
        AccessLevel.List => PolicyList,
        AccessLevel.Write => PolicyWrite,
        _ => "unknown",
    };

    /// <summary>
    /// Consul's takesPrecedenceOver: when two policies give the same resource a rule,
    /// deny beats write beats list beats read beats nothing.
    /// </summary>
    public static bool TakesPrecedenceOver(string? a, string? b)
    {
        static int Rank(string? p) => p?.ToLowerInvariant() switch
        {
            PolicyDeny => 4,
            PolicyWrite => 3,
            PolicyList => 2,
            PolicyRead => 1,
            _ => 0,
        };
        int ra = Rank(a), rb = Rank(b);
        if (ra == 0) return false;
        return ra >= rb;
    }
}
