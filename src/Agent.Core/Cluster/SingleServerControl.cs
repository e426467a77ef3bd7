using System.Globalization;
using System.Text;

namespace Consul.Core.Cluster;

/// <summary>
/// Cluster operations of a lone server with no gossip pool (the dev agent): it cannot join
/// anyone, is the only member and the only Raft voter. Each refusal carries the text Consul
/// (serf, memberlist, raft) gives in the same situation, so clients see the same errors.
/// </summary>
public sealed class SingleServerControl(IClusterView view, bool isServer = true, string? datacenter = null) : IClusterControl
{
    public Task<int> JoinAsync(IReadOnlyList<string> addresses, bool wan, CancellationToken ct)
    {
        if (wan && !isServer) throw new ClusterOperationException(ClusterErrors.WanJoinNeedsServer);
        // memberlist with nothing to contact joins nobody and reports no error.
        if (addresses.Count == 0) return Task.FromResult(0);
        // memberlist gathers one error per address into a go-multierror text.
        var errors = addresses
            .Select(a => $"Failed to join {a}: this agent runs without a gossip pool (dev mode), so it cannot join a cluster")
            .ToList();
        throw new ClusterOperationException(MultiError(errors));
    }

    public Task ForceLeaveAsync(string node, bool prune, bool wan, CancellationToken ct)
    {
        if (wan && !isServer) throw new ClusterOperationException(ClusterErrors.WanForceLeaveNeedsServer);
        static bool Has(IReadOnlyList<MemberInfo> pool, string name) => name != "" && pool.Any(m => m.Name == name);
        bool found;
        if (wan)
        {
            // Consul's WAN path looks the name up as given; its message names the LAN node it
            // was called with, which is empty there, so it reads "name ''".
            found = Has(view.WanMembers(), node);
            if (!found) throw new ClusterOperationException(ClusterErrors.NoNodeNamed(""));
        }
        else if (isServer)
        {
            // A server removes the node from both pools; the WAN pool knows it as "node.dc".
            var dc = datacenter ?? view.Datacenters().FirstOrDefault() ?? "dc1";
            var wanNode = node.EndsWith("." + dc, StringComparison.Ordinal) ? node : $"{node}.{dc}";
            found = Has(view.LanMembers(), node) || Has(view.WanMembers(), wanNode);
        }
        else
        {
            found = Has(view.LanMembers(), node);
        }
        if (!found) throw new ClusterOperationException(ClusterErrors.NoNodeNamed(node));
        // The only member is this agent, alive: serf refutes a leave intent about itself, so
        // the request succeeds and nothing changes, as on a real lone server.
        return Task.CompletedTask;
    }

    public Task RemoveRaftPeerAsync(string? id, string? address, CancellationToken ct)
    {
        if ((id is null) == (address is null)) throw new ArgumentException("exactly one of id and address must be given");
        var servers = view.Raft().Servers;
        var byId = id is not null;
        var found = byId ? servers.Any(s => s.ID == id) : servers.Any(s => s.Address == address);
        if (!found)
        {
            throw new ClusterOperationException(ClusterErrors.PeerNotFound(id, address));
        }
        // The peer is this server, the only voter: raft refuses a configuration without one.
        throw new ClusterOperationException("need at least one voter in configuration: {[]}");
    }

    public Task TransferLeadershipAsync(string? targetId, CancellationToken ct)
    {
        var raft = view.Raft();
        if (raft.State != "Leader") throw new ClusterOperationException(ClusterErrors.NotLeader);
        if (string.IsNullOrEmpty(targetId))
        {
            // raft picks the most up-to-date other voter; a lone server has none to replicate to.
            var other = raft.Servers.FirstOrDefault(s => s.Voter && s.ID != raft.LeaderId);
            throw new ClusterOperationException(other is null ? ClusterErrors.NoPeerToTransferTo : $"cannot find replication state for {other.ID}");
        }
        // Consul resolves the target's address among known servers before asking raft.
        if (!raft.Servers.Any(s => s.ID == targetId))
            throw new ClusterOperationException(ClusterErrors.NoServerAddress(targetId));
        if (targetId == raft.LeaderId) throw new ClusterOperationException(ClusterErrors.TransferToSelf);
        throw new ClusterOperationException($"cannot find replication state for {targetId}");
    }

    /// <summary>go-multierror's text: a count line, one "\t* " line per error, a blank line.</summary>
    internal static string MultiError(IReadOnlyList<string> errors)
    {
        var sb = new StringBuilder();
        sb.Append(errors.Count == 1 ? "1 error occurred:\n" : $"{errors.Count} errors occurred:\n");
        foreach (var e in errors) sb.Append("\t* ").Append(e).Append('\n');
        return sb.Append('\n').ToString();
    }

    /// <summary>Go's %q for the plain strings these messages quote.</summary>
    internal static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
