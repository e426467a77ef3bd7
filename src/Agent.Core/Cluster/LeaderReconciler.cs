using System.Globalization;
using Consul.Core.Model;
using Consul.Core.Raft;
using Consul.Core.State;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Cluster;

/// <summary>
/// What Consul's leader does with gossip membership (leader.go reconcile/reconcileMember):
/// alive members get a catalog node with a passing serfHealth check (servers also the
/// "consul" service and a Raft seat), failed members a critical serfHealth, and members
/// that left or were reaped are deregistered and leave Raft. Writes only what differs, so
/// a steady cluster produces no log entries. Runs only while this server leads.
/// Not thread-safe: the leader loop calls it from one task (Consul's leaderLoop), the full
/// pass on leadership and every reconcile interval, <see cref="HandleAsync"/> per member event.
/// </summary>
public sealed class LeaderReconciler(
    ICommandLog log, StateStore store, IRaftPeers raft, string datacenter, string nodeName, string nodeId, ILogger logger,
    Func<IReadOnlyList<MemberInfo>>? lanMembers = null, TimeProvider? time = null)
{
    /// <summary>
    /// How long one Raft membership change may take before the reconcile moves on. AddVoter
    /// completes only once the newcomer caught up and was promoted; an unreachable server must
    /// not hold up every other member's registration. The next pass retries.
    /// </summary>
    public static readonly TimeSpan MembershipChangeTimeout = TimeSpan.FromSeconds(30);

    public const string SerfCheckId = "serfHealth";
    public const string SerfCheckName = "Serf Health Status";
    public const string SerfCheckAliveOutput = "Agent alive and reachable";
    public const string SerfCheckFailedOutput = "Agent not live or unreachable";
    public const string ConsulServiceId = "consul";
    public const string ConsulServiceName = "consul";

    /// <summary>Full pass: every member, then catalog nodes Serf no longer knows (reconcileReaped).</summary>
    public async Task ReconcileAsync(IReadOnlyList<MemberInfo> members, CancellationToken ct)
    {
        if (!raft.IsLeader) return;
        var known = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in members)
        {
            if (!raft.IsLeader) return; // lost leadership mid-pass: the new leader starts over
            await HandleCoreAsync(member, members, ct).ConfigureAwait(false);
            known.Add(member.Name);
        }
        await ReconcileReapedAsync(known, ct).ConfigureAwait(false);
    }

    /// <summary>One member event (join, update, failed, left, or reap with <see cref="MemberMapping.StatusReap"/>).</summary>
    public Task HandleAsync(MemberInfo member, CancellationToken ct)
    {
        if (!raft.IsLeader) return Task.CompletedTask;
        return HandleCoreAsync(member, lanMembers?.Invoke() ?? [member], ct);
    }

    private async Task HandleCoreAsync(MemberInfo member, IReadOnlyList<MemberInfo> members, CancellationToken ct)
    {
        if (!ShouldHandle(member))
        {
            logger.LogDebug("skipping reconcile of node {Member}", member.Name);
            return;
        }
        try
        {
            switch (member.Status)
            {
                case MemberInfo.StatusAlive: await HandleAliveAsync(member, members, ct).ConfigureAwait(false); break;
                case MemberInfo.StatusFailed: await HandleFailedAsync(member, ct).ConfigureAwait(false); break;
                case MemberInfo.StatusLeft: await HandleDeregisterAsync("left", member, ct).ConfigureAwait(false); break;
                case MemberMapping.StatusReap: await HandleDeregisterAsync("reaped", member, ct).ConfigureAwait(false); break;
                // leaving / none: wait for the final state.
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            // Consul logs and carries on with the next member; the next full pass retries.
            logger.LogError("failed to reconcile member {Member}: {Error}", member.Name, e.Message);
        }
    }

    /// <summary>Consul's shouldHandleMember: clients and (unsegmented) servers of this datacenter.</summary>
    private bool ShouldHandle(MemberInfo m)
    {
        var role = m.Tags.GetValueOrDefault("role");
        if (role == "node") return m.Tags.GetValueOrDefault("dc") == datacenter;
        return ServerParts.Parse(m) is { Segment: "" } parts && parts.Datacenter == datacenter;
    }

    private async Task HandleAliveAsync(MemberInfo member, IReadOnlyList<MemberInfo> members, CancellationToken ct)
    {
        NodeService? service = null;
        if (ServerParts.Parse(member) is { } parts)
        {
            service = ConsulService(member, parts);
            await JoinServerAsync(member, parts, members, ct).ConfigureAwait(false);
        }

        var snap = store.Current;
        snap.Nodes.TryGetValue(member.Name, out var node);
        if (node is not null && node.Address == member.Addr)
        {
            var serviceMatches = service is null ||
                (snap.Services.GetValueOrDefault(member.Name)?.GetValueOrDefault(ConsulServiceId) is { } existing &&
                 CatalogWrites.DictEqual(existing.Meta, service.Meta) && existing.Port == service.Port);
            var passing = snap.Checks.GetValueOrDefault(member.Name)?.GetValueOrDefault(SerfCheckId)?.Status == HealthStatus.Passing;
            if (serviceMatches && passing) return;
        }

        logger.LogInformation("member joined, marking health alive: member={Member}", member.Name);
        await ApplyAsync(new RegisterCommand
        {
            Datacenter = datacenter,
            Node = member.Name,
            ID = member.Tags.GetValueOrDefault("id", ""),
            Address = member.Addr,
            Service = service,
            Check = SerfCheck(HealthStatus.Passing, SerfCheckAliveOutput),
            // An existing node keeps what its agent synced; a new one starts with the version Serf reports.
            TaggedAddresses = node is null ? null : new(node.TaggedAddresses),
            NodeMeta = node is not null ? new(node.Meta)
                : ServerParts.BuildOf(member) is { } build ? new() { ["consul-version"] = build } : null,
        }, ct).ConfigureAwait(false);
    }

    private async Task HandleFailedAsync(MemberInfo member, CancellationToken ct)
    {
        var snap = store.Current;
        if (!snap.Nodes.TryGetValue(member.Name, out var node))
        {
            logger.LogInformation("ignoring failed event for member because it does not exist in the catalog: member={Member}", member.Name);
            return;
        }
        if (node.Address == member.Addr &&
            snap.Checks.GetValueOrDefault(member.Name)?.GetValueOrDefault(SerfCheckId)?.Status == HealthStatus.Critical)
            return;

        logger.LogInformation("member failed, marking health critical: member={Member}", member.Name);
        await ApplyAsync(new RegisterCommand
        {
            Datacenter = datacenter,
            Node = member.Name,
            ID = member.Tags.GetValueOrDefault("id", ""),
            Address = member.Addr,
            Check = SerfCheck(HealthStatus.Critical, SerfCheckFailedOutput),
            SkipNodeUpdate = true, // keep what is known about the node
        }, ct).ConfigureAwait(false);
    }

    private async Task HandleDeregisterAsync(string reason, MemberInfo member, CancellationToken ct)
    {
        // A leaving leader must not deregister itself; the next leader does that.
        if (string.Equals(member.Name, nodeName, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("deregistering self should be done by follower: name={Name}", nodeName);
            return;
        }
        if (ServerParts.Parse(member) is { } parts) await RemoveServerAsync(parts, ct).ConfigureAwait(false);

        if (!store.Current.Nodes.ContainsKey(member.Name)) return;
        logger.LogInformation("deregistering member: member={Member} reason={Reason}", member.Name, reason);
        await ApplyAsync(new DeregisterCommand { Node = member.Name }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Catalog nodes with a serfHealth check that Serf no longer knows were reaped while no
    /// leader watched: deregister them (never this server's own node). Unlike a live reap
    /// event this does not touch Raft: Consul's synthetic member has no build tag, so it never
    /// counts as a server there either, and dead Raft servers are autopilot's business.
    /// </summary>
    private async Task ReconcileReapedAsync(HashSet<string> known, CancellationToken ct)
    {
        var snap = store.Current;
        var orphans = snap.Checks
            .Where(kv => kv.Value.ContainsKey(SerfCheckId) && !known.Contains(kv.Key))
            .Select(kv => kv.Key)
            .Where(name => !string.Equals(name, nodeName, StringComparison.OrdinalIgnoreCase))
            .ToList();
        foreach (var name in orphans)
        {
            try
            {
                logger.LogInformation("deregistering member: member={Member} reason={Reason}", name, "reaped");
                await ApplyAsync(new DeregisterCommand { Node = name }, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception e)
            {
                logger.LogError("failed to reap member {Member}: {Error}", name, e.Message);
            }
        }
    }

    /// <summary>Consul's joinConsulServer (autopilot AddServer): give an alive server of this dc a Raft vote.</summary>
    private async Task JoinServerAsync(MemberInfo member, ServerParts parts, IReadOnlyList<MemberInfo> members, CancellationToken ct)
    {
        if (parts.Bootstrap)
        {
            foreach (var other in members)
            {
                if (other.Name != member.Name && ServerParts.Parse(other) is { Bootstrap: true })
                {
                    logger.LogError("Two nodes are in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer: node_to_add={Node} other={Other}",
                        member.Name, other.Name);
                    return;
                }
            }
        }
        if (parts.Id.Length == 0)
        {
            logger.LogWarning("server {Member} has no node ID tag, not adding Raft peer", member.Name);
            return;
        }
        if (parts.ReadReplica)
        {
            // IRaftPeers has no AddNonVoter; read replicas stay out of Raft for now.
            logger.LogDebug("server {Member} is a read replica, not adding it as a Raft voter", member.Name);
            return;
        }

        var config = await raft.GetConfigurationAsync().ConfigureAwait(false);
        var current = config.Find(parts.Id);
        if (current is not null && current.Voter && current.Address == parts.RpcAddress) return;

        // Another ID at this address is a stale entry of the same machine (e.g. wiped data dir).
        foreach (var stale in config.Servers.Where(s => s.Address == parts.RpcAddress && s.Id != parts.Id).ToList())
        {
            if (IsSelf(stale.Id)) return;
            logger.LogInformation("removing stale Raft server {Id} at {Address} before adding {Member}", stale.Id, stale.Address, member.Name);
            await WithTimeout(t => raft.RemoveServerAsync(stale.Id, t), ct).ConfigureAwait(false);
        }
        // The Raft core does not change a member's address in place: re-add it.
        if (current is not null && current.Address != parts.RpcAddress)
        {
            if (IsSelf(current.Id)) return;
            logger.LogInformation("Raft server {Id} moved from {Old} to {New}, re-adding", current.Id, current.Address, parts.RpcAddress);
            await WithTimeout(t => raft.RemoveServerAsync(current.Id, t), ct).ConfigureAwait(false);
        }
        logger.LogInformation("adding Raft voter {Member} ({Id}) at {Address}", member.Name, parts.Id, parts.RpcAddress);
        await WithTimeout(t => raft.AddVoterAsync(parts.Id, parts.RpcAddress, t), ct).ConfigureAwait(false);
    }

    /// <summary>Consul's removeConsulServer: a server that left loses its Raft seat (never this server's).</summary>
    private async Task RemoveServerAsync(ServerParts parts, CancellationToken ct)
    {
        if (parts.Id.Length == 0 || IsSelf(parts.Id)) return;
        var config = await raft.GetConfigurationAsync().ConfigureAwait(false);
        if (!config.Contains(parts.Id)) return;
        logger.LogInformation("removing Raft server {Member} ({Id})", parts.Name, parts.Id);
        await WithTimeout(t => raft.RemoveServerAsync(parts.Id, t), ct).ConfigureAwait(false);
    }

    private async Task WithTimeout(Func<CancellationToken, Task> change, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(MembershipChangeTimeout, time ?? TimeProvider.System);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await change(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"Raft membership change did not complete within {MembershipChangeTimeout.TotalSeconds:0} s");
        }
    }

    private bool IsSelf(string id) => string.Equals(id, nodeId, StringComparison.OrdinalIgnoreCase);

    private static NodeService ConsulService(MemberInfo member, ServerParts parts) => new()
    {
        ID = ConsulServiceId,
        Service = ConsulServiceName,
        Port = parts.Port,
        Weights = new Weights { Passing = 1, Warning = 1 },
        Meta = new Dictionary<string, string>
        {
            // Consul still writes the deprecated non_voter next to read_replica, each from its own tag.
            ["non_voter"] = Bool(member.Tags.GetValueOrDefault("nonvoter") == "1"),
            ["read_replica"] = Bool(member.Tags.GetValueOrDefault("read_replica") == "1"),
            ["raft_version"] = parts.RaftVersion.ToString(CultureInfo.InvariantCulture),
            ["serf_protocol_current"] = member.ProtocolCur.ToString(CultureInfo.InvariantCulture),
            ["serf_protocol_min"] = member.ProtocolMin.ToString(CultureInfo.InvariantCulture),
            ["serf_protocol_max"] = member.ProtocolMax.ToString(CultureInfo.InvariantCulture),
            ["version"] = parts.Build,
        },
    };

    private static string Bool(bool b) => b ? "true" : "false";

    private static HealthCheck SerfCheck(string status, string output) => new()
    {
        CheckID = SerfCheckId,
        Name = SerfCheckName,
        Status = status,
        Output = output,
    };

    private async Task ApplyAsync(StateCommand command, CancellationToken ct)
    {
        var result = await log.ApplyAsync(command, ct).ConfigureAwait(false);
        if (!result.Ok) throw new InvalidOperationException(result.Error);
    }
}
