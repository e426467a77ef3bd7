namespace Consul.Core.Acl;

/// <summary>Resource names as they appear in permission-denied messages ("key:write").</summary>
public static class AclResources
{
    public const string Acl = "acl";
    public const string Agent = "agent";
    public const string Event = "event";
    public const string Intention = "intention";
    public const string Key = "key";
    public const string Keyring = "keyring";
    public const string Mesh = "mesh";
    public const string Node = "node";
    public const string Operator = "operator";
    public const string Peering = "peering";
    public const string Query = "query";
    public const string Service = "service";
    public const string Session = "session";
}
