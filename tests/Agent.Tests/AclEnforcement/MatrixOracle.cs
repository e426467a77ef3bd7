using Consul.Core.Acl;

namespace Consul.Tests.AclEnforcement;

/// <summary>The permissions the matrix asks about (resource:level as Consul names them).</summary>
public enum Perm
{
    KeyRead, KeyWrite, KeyWritePrefix, NodeRead, NodeWrite, ServiceRead, ServiceWrite,
    SessionRead, SessionWrite, EventRead, EventWrite, AgentRead, AgentWrite, OperatorRead, OperatorWrite,
    QueryRead, QueryWrite,
}

/// <summary>
/// What each matrix caller may do, written out by hand from the rules in
/// <see cref="AclTestAgent"/> (not computed by the product's authorizer), and the exact
/// denial texts Consul sends.
/// </summary>
public static class MatrixOracle
{
    public static bool Can(string defaultPolicy, Caller caller, Perm perm, string name)
    {
        var byDefault = defaultPolicy == "allow";
        bool IsRead() => perm is Perm.KeyRead or Perm.NodeRead or Perm.ServiceRead or Perm.SessionRead
            or Perm.EventRead or Perm.AgentRead or Perm.OperatorRead or Perm.QueryRead;
        switch (caller)
        {
            case Caller.Mgmt:
                return true;
            case Caller.ReadOnly:
                // builtin/global-read-only: an explicit read on every resource, so every write is denied.
                return IsRead();
            case Caller.None:
                return byDefault;
            case Caller.Anon:
                return perm switch
                {
                    Perm.KeyRead => name.StartsWith("public/", StringComparison.Ordinal) || byDefault,
                    Perm.KeyWrite => !name.StartsWith("public/", StringComparison.Ordinal) && byDefault,
                    Perm.KeyWritePrefix => !"public/".StartsWith(name, StringComparison.Ordinal) && !name.StartsWith("public/", StringComparison.Ordinal) && byDefault,
                    Perm.NodeRead => true,
                    Perm.NodeWrite => false,
                    Perm.ServiceRead or Perm.ServiceWrite => name.StartsWith("pub", StringComparison.Ordinal) || byDefault,
                    Perm.EventRead or Perm.EventWrite => name.StartsWith("pub", StringComparison.Ordinal) || byDefault,
                    _ => byDefault,
                };
            case Caller.Prefix:
                return perm switch
                {
                    Perm.KeyRead or Perm.KeyWrite => name.StartsWith("app/", StringComparison.Ordinal)
                        || (!name.StartsWith("secret/", StringComparison.Ordinal) && byDefault),
                    Perm.KeyWritePrefix => name.StartsWith("app/", StringComparison.Ordinal)
                        || (!"secret/".StartsWith(name, StringComparison.Ordinal) && !name.StartsWith("secret/", StringComparison.Ordinal)
                            && !"app/".StartsWith(name, StringComparison.Ordinal) && byDefault),
                    Perm.NodeRead => name != "hidden",
                    Perm.NodeWrite => false,
                    Perm.ServiceRead => name.StartsWith("web", StringComparison.Ordinal)
                        || (!name.StartsWith("db", StringComparison.Ordinal) && byDefault),
                    Perm.ServiceWrite => !name.StartsWith("web", StringComparison.Ordinal) && !name.StartsWith("db", StringComparison.Ordinal) && byDefault,
                    _ => byDefault,
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(caller));
        }
    }

    public static bool HasToken(Caller caller) => AclTestAgent.SecretOf(caller) is not null;

    public static string AccessorOf(Caller caller) => caller switch
    {
        Caller.ReadOnly => AclTestAgent.ReadOnlyAccessor,
        Caller.Prefix => AclTestAgent.PrefixAccessor,
        Caller.None or Caller.Anon => AclBuiltins.AnonymousTokenId,
        _ => throw new ArgumentOutOfRangeException(nameof(caller), "management is never denied"),
    };

    /// <summary>"resource:level" as Consul prints it.</summary>
    public static string Resource(Perm perm) => perm switch
    {
        Perm.KeyRead => "key:read",
        Perm.KeyWrite or Perm.KeyWritePrefix => "key:write",
        Perm.NodeRead => "node:read",
        Perm.NodeWrite => "node:write",
        Perm.ServiceRead => "service:read",
        Perm.ServiceWrite => "service:write",
        Perm.SessionRead => "session:read",
        Perm.SessionWrite => "session:write",
        Perm.EventRead => "event:read",
        Perm.EventWrite => "event:write",
        Perm.AgentRead => "agent:read",
        Perm.AgentWrite => "agent:write",
        Perm.OperatorRead => "operator:read",
        Perm.OperatorWrite => "operator:write",
        Perm.QueryRead => "query:read",
        Perm.QueryWrite => "query:write",
        _ => throw new ArgumentOutOfRangeException(nameof(perm)),
    };

    /// <summary>Consul's permission-denied text, written out (acl/errors.go PermissionDeniedByACL).</summary>
    public static string Denied(Caller caller, Perm perm, string name)
    {
        var on = name == "" ? "" : $" on \"{name}\"";
        return caller is Caller.None or Caller.Anon
            ? $"Permission denied: anonymous token lacks permission '{Resource(perm)}'{on}. The anonymous token is used implicitly when a request does not specify a token."
            : $"Permission denied: token with AccessorID '{AccessorOf(caller)}' lacks permission '{Resource(perm)}'{on}";
    }
}
