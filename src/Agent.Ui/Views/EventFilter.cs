using Consul.Core.Events;

namespace Consul.Ui.Views;

/// <summary>Groups of event types for the events page's quick filter, and its text match.</summary>
public static class EventFilter
{
    public static readonly IReadOnlyList<string> Groups = ["all", "members", "raft", "catalog", "health", "kv", "user"];

    public static string GroupOf(ClusterEvent e) => e switch
    {
        MemberJoined or MemberUpdated or MemberFailed or MemberLeft or MemberReaped => "members",
        LeaderElected or LeaderLost or PeerAdded or PeerRemoved => "raft",
        NodeRegistered or NodeDeregistered or ServiceRegistered or ServiceDeregistered => "catalog",
        CheckStatusChanged => "health",
        KVPut or KVDeleted => "kv",
        _ => "user",
    };

    /// <summary>Group matches (or is "all") and the text occurs in the type or description.</summary>
    public static bool Matches(ClusterEvent e, string group, string? text) =>
        (group == "all" || GroupOf(e) == group) &&
        (string.IsNullOrWhiteSpace(text)
         || EventKinds.TypeOf(e).Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)
         || e.Describe().Contains(text.Trim(), StringComparison.OrdinalIgnoreCase));
}
