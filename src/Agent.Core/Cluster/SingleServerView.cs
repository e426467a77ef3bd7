namespace Consul.Core.Cluster;

/// <summary>
/// The cluster as a lone server sees it before gossip and Raft are wired in: one alive
/// member (itself) that is the Raft leader and only voter.
/// </summary>
public sealed class SingleServerView(MemberInfo self, string serverAddress, string nodeId, Func<ulong> lastIndex) : IClusterView
{
    public IReadOnlyList<MemberInfo> LanMembers() => [self];

    public IReadOnlyList<MemberInfo> WanMembers() =>
        [self with { Name = $"{self.Name}.{self.Tags.GetValueOrDefault("dc", "dc1")}" }];

    public RaftStatus Raft()
    {
        var index = lastIndex();
        return new RaftStatus
        {
            State = "Leader",
            Term = 2,
            LeaderId = nodeId,
            LeaderAddress = serverAddress,
            CommitIndex = index,
            AppliedIndex = index,
            LastLogIndex = index,
            Servers = [new RaftServerInfo { ID = nodeId, Node = self.Name, Address = serverAddress, Leader = true, Voter = true, MatchIndex = index }],
        };
    }

    public IReadOnlyList<string> Datacenters() => [self.Tags.GetValueOrDefault("dc", "dc1")];
}
