using System.Text.Json.Serialization;

namespace Consul.Core.Events;

/// <summary>
/// One thing that happened in the cluster. Every event carries a sequence number
/// (assigned by <see cref="EventStream"/>) and the time it was published.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "Type")]
[JsonDerivedType(typeof(MemberJoined), "member-joined")]
[JsonDerivedType(typeof(MemberUpdated), "member-updated")]
[JsonDerivedType(typeof(MemberFailed), "member-failed")]
[JsonDerivedType(typeof(MemberLeft), "member-left")]
[JsonDerivedType(typeof(MemberReaped), "member-reaped")]
[JsonDerivedType(typeof(LeaderElected), "leader-elected")]
[JsonDerivedType(typeof(LeaderLost), "leader-lost")]
[JsonDerivedType(typeof(PeerAdded), "peer-added")]
[JsonDerivedType(typeof(PeerRemoved), "peer-removed")]
[JsonDerivedType(typeof(NodeRegistered), "node-registered")]
[JsonDerivedType(typeof(NodeDeregistered), "node-deregistered")]
[JsonDerivedType(typeof(ServiceRegistered), "service-registered")]
[JsonDerivedType(typeof(ServiceDeregistered), "service-deregistered")]
[JsonDerivedType(typeof(CheckStatusChanged), "check-status-changed")]
[JsonDerivedType(typeof(KVPut), "kv-put")]
[JsonDerivedType(typeof(KVDeleted), "kv-delete")]
[JsonDerivedType(typeof(UserEventFired), "user-event")]
public abstract record ClusterEvent
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
    /// <summary>Raft/state index that produced the event, 0 when not a state change.</summary>
    public ulong Index { get; init; }

    /// <summary>Short human description for timelines and logs.</summary>
    public abstract string Describe();
}

public sealed record MemberJoined(string Member, string Address, string Role, string Datacenter) : ClusterEvent
{
    public override string Describe() => $"member {Member} ({Role}, {Address}) joined";
}
public sealed record MemberUpdated(string Member, string Address) : ClusterEvent
{
    public override string Describe() => $"member {Member} updated";
}
public sealed record MemberFailed(string Member, string Address) : ClusterEvent
{
    public override string Describe() => $"member {Member} failed";
}
public sealed record MemberLeft(string Member, string Address) : ClusterEvent
{
    public override string Describe() => $"member {Member} left";
}
public sealed record MemberReaped(string Member) : ClusterEvent
{
    public override string Describe() => $"member {Member} reaped";
}
public sealed record LeaderElected(string Leader, string Address, ulong Term) : ClusterEvent
{
    public override string Describe() => $"{Leader} elected leader (term {Term})";
}
public sealed record LeaderLost(string FormerLeader, ulong Term) : ClusterEvent
{
    public override string Describe() => $"leader {FormerLeader} lost (term {Term})";
}
public sealed record PeerAdded(string ServerId, string Address, bool Voter) : ClusterEvent
{
    public override string Describe() => $"raft peer {ServerId} ({Address}) added as {(Voter ? "voter" : "non-voter")}";
}
public sealed record PeerRemoved(string ServerId, string Address) : ClusterEvent
{
    public override string Describe() => $"raft peer {ServerId} ({Address}) removed";
}
public sealed record NodeRegistered(string Node, string Address) : ClusterEvent
{
    public override string Describe() => $"node {Node} ({Address}) registered";
}
public sealed record NodeDeregistered(string Node) : ClusterEvent
{
    public override string Describe() => $"node {Node} deregistered";
}
public sealed record ServiceRegistered(string Node, string ServiceID, string ServiceName) : ClusterEvent
{
    public override string Describe() => $"service {ServiceName} ({ServiceID}) registered on {Node}";
}
public sealed record ServiceDeregistered(string Node, string ServiceID, string ServiceName) : ClusterEvent
{
    public override string Describe() => $"service {ServiceName} ({ServiceID}) deregistered from {Node}";
}
public sealed record CheckStatusChanged(string Node, string CheckID, string ServiceID, string OldStatus, string NewStatus, string Output) : ClusterEvent
{
    public override string Describe() => $"check {CheckID} on {Node}: {(OldStatus == "" ? "new" : OldStatus)} → {NewStatus}";
}
public sealed record KVPut(string Key, int Size, ulong Flags) : ClusterEvent
{
    public override string Describe() => $"kv put {Key} ({Size} bytes)";
}
public sealed record KVDeleted(string Key, bool Recursive) : ClusterEvent
{
    public override string Describe() => Recursive ? $"kv delete {Key}*" : $"kv delete {Key}";
}
public sealed record UserEventFired(string Name, string ID, int PayloadSize) : ClusterEvent
{
    public override string Describe() => $"user event {Name} fired";
}
