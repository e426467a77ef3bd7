namespace Consul.Core.Acl;

/// <summary>What one authorizer in a chain says: allow, deny, or no opinion (ask the next one).</summary>
public enum EnforcementDecision
{
    Default = 0,
    Allow,
    Deny,
}
