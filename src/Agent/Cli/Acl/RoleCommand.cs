namespace Consul.Agent.Cli.Acl;

/// <summary>The policy and identity flags `acl role create` and `acl role update` share.</summary>
internal abstract class RoleCommand : AclCommand
{
    protected void AddLinkFlags(List<string> policyIds, List<string> policyNames, List<string> serviceIdents, List<string> nodeIdents)
    {
        AddSliceFlag("policy-id", "ID of a policy to use for this role. May be specified multiple times", policyIds);
        AddSliceFlag("policy-name", "Name of a policy to use for this role. May be specified multiple times", policyNames);
        AddSliceFlag("service-identity", "Name of a service identity to use for this role. May be specified multiple times. " +
                                         "Format is the SERVICENAME or SERVICENAME:DATACENTER1,DATACENTER2,...", serviceIdents);
        AddSliceFlag("node-identity", "Name of a node identity to use for this role. May be specified multiple times. " +
                                      "Format is NODENAME:DATACENTER", nodeIdents);
    }
}
