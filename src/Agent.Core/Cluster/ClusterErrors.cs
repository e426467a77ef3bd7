namespace Consul.Core.Cluster;

/// <summary>Consul's texts for refused cluster operations, shared by every <see cref="IClusterControl"/>.</summary>
public static class ClusterErrors
{
    public const string WanJoinNeedsServer = "Must be a server to join WAN cluster";
    public const string WanForceLeaveNeedsServer = "Must be a server to force-leave a node from the WAN cluster";
    public const string NotLeader = "node is not the leader";
    public const string NoPeerToTransferTo = "cannot find peer";
    public const string TransferToSelf = "cannot transfer leadership to itself";

    public static string NoNodeNamed(string node) => $"agent: No node found with name '{node}'";

    public static string NoServerAddress(string id) => $"Could not find address for server id {id}";

    public static string PeerNotFound(string? id, string? address) => id is not null
        ? $"id {SingleServerControl.GoQuote(id)} was not found in the Raft configuration"
        : $"address {SingleServerControl.GoQuote(address ?? "")} was not found in the Raft configuration";
}
