using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Events;

namespace Consul.Ui.Hub;

/// <summary>
/// The JSON form of a <see cref="ClusterEvent"/> on the events hub. Property names are the
/// records' own (PascalCase, as Consul's API), independent of the hub protocol's settings.
/// </summary>
/// <remarks>
/// Every message is one object:
/// <code>
/// {
///   "Type": "kv-put",                         // discriminator, see below
///   "Sequence": 42,                           // event stream sequence, strictly increasing per agent
///   "Time": "2026-11-28T08:00:00.123+00:00",  // when the agent published it (ISO 8601)
///   "Index": 1234,                            // Raft/state index that caused it, 0 for gossip events
///   "Description": "kv put app/config (12 bytes)",  // human-readable one-liner
///   ...type-specific fields...
/// }
/// </code>
/// Types and their fields:
/// member-joined (Member, Address, Role, Datacenter) · member-updated (Member, Address) ·
/// member-failed (Member, Address) · member-left (Member, Address) · member-reaped (Member) ·
/// leader-elected (Leader, Address, Term) · leader-lost (FormerLeader, Term) ·
/// peer-added (ServerId, Address, Voter) · peer-removed (ServerId, Address) ·
/// node-registered (Node, Address) · node-deregistered (Node) ·
/// service-registered / service-deregistered (Node, ServiceID, ServiceName) ·
/// check-status-changed (Node, CheckID, ServiceID, OldStatus, NewStatus, Output) ·
/// kv-put (Key, Size, Flags) · kv-delete (Key, Recursive) · user-event (Name, ID, PayloadSize).
/// Clients must ignore types and fields they do not know.
/// </remarks>
public static class ClusterEventJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static JsonObject ToJson(ClusterEvent e)
    {
        var node = JsonSerializer.SerializeToNode(e, Options)!.AsObject();
        node["Description"] = e.Describe();
        return node;
    }

    public static JsonElement ToElement(ClusterEvent e) =>
        JsonSerializer.SerializeToElement(ToJson(e), Options);
}
