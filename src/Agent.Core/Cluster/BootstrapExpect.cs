using Consul.Core.Raft;

namespace Consul.Core.Cluster;

public enum BootstrapOutcome
{
    /// <summary>Not enough servers yet (or bootstrap_expect is off); ask again on the next join.</summary>
    Wait,
    /// <summary>Bootstrap Raft with <see cref="BootstrapDecision.Configuration"/>, then stop asking.</summary>
    Bootstrap,
    /// <summary>Raft already has state: bootstrap mode is over for good (Consul: "Raft data found").</summary>
    AlreadyBootstrapped,
    /// <summary>Servers disagree (expect value, bootstrap flag): log as an error, do not bootstrap.</summary>
    Conflict,
}

public sealed record BootstrapDecision(BootstrapOutcome Outcome, RaftConfiguration? Configuration, string Reason);

/// <summary>
/// bootstrap_expect as Consul's maybeBootstrap decides it, without the I/O: given the LAN
/// members, returns the first Raft configuration once enough servers of this datacenter are
/// alive. Every server computing it from the same member set gets the same configuration
/// (servers ordered by ID). Consul also asks each server over RPC whether it already has
/// Raft peers before bootstrapping; that check belongs to the caller.
/// </summary>
public static class BootstrapExpect
{
    public static BootstrapDecision Decide(IReadOnlyList<MemberInfo> lanMembers, string datacenter, int expect, string selfId,
        bool raftHasState, bool selfReadReplica = false)
    {
        if (raftHasState) return new(BootstrapOutcome.AlreadyBootstrapped, null, "Raft data found, disabling bootstrap mode");
        if (expect <= 0) return new(BootstrapOutcome.Wait, null, "bootstrap_expect is not set");
        if (selfReadReplica) return new(BootstrapOutcome.Wait, null, "Read replicas cannot bootstrap raft");

        var servers = new List<ServerParts>();
        foreach (var member in lanMembers)
        {
            if (member.Status != MemberInfo.StatusAlive) continue;
            var parts = ServerParts.Parse(member);
            if (parts is null || parts.Datacenter != datacenter) continue;
            if (parts.Expect != 0 && parts.Expect != expect)
                return new(BootstrapOutcome.Conflict, null,
                    $"Member {member.Name} has a conflicting expect value ({parts.Expect}, this server expects {expect}). All nodes should expect the same number.");
            if (parts.Bootstrap)
                return new(BootstrapOutcome.Conflict, null, $"Member {member.Name} has bootstrap mode. Expect disabled.");
            servers.Add(parts);
        }

        var voters = servers.Count(s => !s.ReadReplica);
        if (voters < expect) return new(BootstrapOutcome.Wait, null, $"{voters} of {expect} expected servers known");
        if (servers.FirstOrDefault(s => s.Id.Length == 0) is { } noId)
            return new(BootstrapOutcome.Wait, null, $"Member {noId.Name} has no node ID yet");
        if (servers.GroupBy(s => s.Id, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } dup)
            return new(BootstrapOutcome.Conflict, null, $"Members {string.Join(", ", dup.Select(s => s.Name))} share node ID {dup.Key}");
        // Our own gossip entry may lag behind the first join; a configuration without us
        // would leave this server outside the cluster it just created.
        if (!servers.Any(s => string.Equals(s.Id, selfId, StringComparison.OrdinalIgnoreCase)))
            return new(BootstrapOutcome.Wait, null, "this server is not among the known servers yet");

        var config = new RaftConfiguration(servers.Select(s => new ServerInfo(s.Id, s.RpcAddress, !s.ReadReplica)));
        return new(BootstrapOutcome.Bootstrap, config,
            $"Found expected number of peers, attempting bootstrap: {string.Join(",", config.Servers.Select(s => s.Address))}");
    }
}
