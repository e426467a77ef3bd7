using System.Globalization;
using Consul.Core.Acl;
using Consul.Core.Cluster;
using Consul.Core.Util;

namespace Consul.Agent.Http;

/// <summary>
/// /v1/operator/raft/* and /v1/operator/autopilot/{health,configuration} (read): Raft
/// membership and server health in Consul's shapes, read from <see cref="IClusterView"/>;
/// peer removal and leadership transfer through <see cref="IClusterControl"/>.
/// </summary>
public static class OperatorEndpoints
{
    public static void MapOperatorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/operator/raft/configuration", RaftConfiguration);
        app.MapDelete("/v1/operator/raft/peer", RemovePeer);
        app.MapPost("/v1/operator/raft/transfer-leader", TransferLeader);
        app.MapGet("/v1/operator/autopilot/health", AutopilotHealth);
        app.MapGet("/v1/operator/autopilot/configuration", AutopilotConfig);
    }

    private static Task RaftConfiguration(HttpContext ctx, ApiContext api)
    {
        var raft = ReadRaft(ctx, api, allowStale: true);
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorReadAllowed());
        var servers = raft.Servers.Select(s => new RaftServerJson(
            s.ID, s.Node, s.Address, s.Leader, s.ProtocolVersion, s.Voter, LastIndexOf(s, raft))).ToList();
        // The view carries no configuration index; a bootstrapped server's first configuration is entry 1.
        var index = servers.Count > 0 ? 1UL : 0UL;
        return ApiResponses.WriteJson(ctx, api, new RaftConfigurationJson(servers, index));
    }

    private static async Task RemovePeer(HttpContext ctx, ApiContext api)
    {
        var q = ctx.Request.Query;
        ApiResponses.CheckDatacenter(api, DatacenterOf(ctx, api));
        // Consul looks at presence: "?id=" asks for the server with the empty ID.
        var hasId = q.ContainsKey("id");
        var hasAddress = q.ContainsKey("address");
        if (!hasId && !hasAddress)
            throw ApiException.BadRequest("Must specify either ?id with the server's ID or ?address with IP:port of peer to remove");
        if (hasId && hasAddress) throw ApiException.BadRequest("Must specify only one of ?id or ?address");
        var id = hasId ? q["id"].ToString() : null;
        var address = hasAddress ? q["address"].ToString() : null;
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorWriteAllowed());
        await ClusterEndpoints.Run(() => api.ClusterControl.RemoveRaftPeerAsync(id, address, ctx.RequestAborted));
    }

    private static async Task TransferLeader(HttpContext ctx, ApiContext api)
    {
        var id = ctx.Request.Query.ContainsKey("id") ? ctx.Request.Query["id"].ToString() : null;
        // The gRPC operator service refuses it; its plain error comes back with gRPC's Unknown code.
        if (AclFilters.Authz(ctx, api).OperatorWriteAllowed() is { } denied)
            throw new ApiException(StatusCodes.Status403Forbidden, "rpc error: code = Unknown desc = " + denied.Message);
        // Consul reaches the leader over its gRPC operator service; the failure text comes back
        // wrapped in gRPC's status form.
        await ClusterEndpoints.Run(() => api.ClusterControl.TransferLeadershipAsync(id, ctx.RequestAborted),
            "rpc error: code = Unknown desc = ");
        await ApiResponses.WriteJson(ctx, api, new TransferLeaderJson(true));
    }

    private static Task AutopilotConfig(HttpContext ctx, ApiContext api)
    {
        ReadRaft(ctx, api, allowStale: true);
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorReadAllowed());
        return ApiResponses.WriteJson(ctx, api, AutopilotDefaults.Json);
    }

    private static async Task AutopilotHealth(HttpContext ctx, ApiContext api)
    {
        // Consul always asks the leader for server health, ?stale or not.
        var raft = ReadRaft(ctx, api, allowStale: false);
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorReadAllowed());
        var reply = ServerHealth(raft, api.Cluster.LanMembers(), api.StartedAt);
        // Consul answers 429 while any server is unhealthy, with the same body.
        if (!reply.Healthy) ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await ApiResponses.WriteJson(ctx, api, reply);
    }

    /// <summary>Autopilot's view of each server and of the whole, as raft-autopilot judges health.</summary>
    public static OperatorHealthJson ServerHealth(RaftStatus raft, IReadOnlyList<MemberInfo> members, DateTimeOffset stableSince)
    {
        var leaderIndex = raft.LastLogIndex;
        var servers = new List<ServerHealthJson>();
        foreach (var s in raft.Servers)
        {
            var member = members.FirstOrDefault(m => m.Name == s.Node);
            // A Raft server gossip does not know is "left" to autopilot, and has no name or version.
            var serfStatus = member?.StatusText ?? "left";
            var lastContact = s.Leader ? TimeSpan.Zero : s.LastContact;
            var lastIndex = LastIndexOf(s, raft);
            var healthy = serfStatus == "alive"
                && lastContact >= TimeSpan.Zero && lastContact <= AutopilotDefaults.LastContactThreshold
                && !(leaderIndex > AutopilotDefaults.MaxTrailingLogs && lastIndex < leaderIndex - AutopilotDefaults.MaxTrailingLogs);
            servers.Add(new ServerHealthJson(
                s.ID, member?.Name ?? "", s.Address, serfStatus, BuildVersion(member), s.Leader, GoDuration.Format(lastContact),
                raft.Term, lastIndex, healthy, s.Voter, GoTimeSeconds(stableSince)));
        }
        var voters = servers.Count(s => s.Voter);
        var healthyVoters = servers.Count(s => s.Voter && s.Healthy);
        var tolerance = Math.Max(0, healthyVoters - (voters / 2 + 1));
        return new OperatorHealthJson(servers.All(s => s.Healthy), tolerance, servers);
    }

    /// <summary>The server's last log index: the leader's own, a follower's replicated one.</summary>
    private static ulong LastIndexOf(RaftServerInfo s, RaftStatus raft) =>
        s.Leader && s.ID == raft.LeaderId ? Math.Max(s.MatchIndex, raft.LastLogIndex) : s.MatchIndex;

    /// <summary>The version part of serf's "build" tag ("1.21.0:abcdef" → "1.21.0").</summary>
    private static string BuildVersion(MemberInfo? member)
    {
        if (member is null || !member.Tags.TryGetValue("build", out var build)) return "";
        var colon = build.IndexOf(':');
        return colon < 0 ? build : build[..colon];
    }

    /// <summary>Go's time.Round(time.Second).UTC() in RFC 3339, as encoding/json writes it.</summary>
    private static string GoTimeSeconds(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        var rounded = new DateTime((utc.Ticks + TimeSpan.TicksPerSecond / 2) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        return rounded.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Datacenter check, then the leader check Consul's RPC forwarding makes unless stale.</summary>
    private static RaftStatus ReadRaft(HttpContext ctx, ApiContext api, bool allowStale)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        var raft = api.Cluster.Raft();
        var stale = allowStale && opts.Consistency == ReadConsistency.Stale;
        if (!stale && string.IsNullOrEmpty(raft.LeaderAddress))
            throw new ApiException(StatusCodes.Status500InternalServerError, "No cluster leader");
        return raft;
    }

    private static string DatacenterOf(HttpContext ctx, ApiContext api)
    {
        var dc = ctx.Request.Query["dc"].ToString();
        return dc == "" ? api.Config.Datacenter : dc;
    }
}

/// <summary>Autopilot's configuration as a fresh Consul cluster has it (not changeable here yet).</summary>
public static class AutopilotDefaults
{
    public static readonly TimeSpan LastContactThreshold = TimeSpan.FromMilliseconds(200);
    public const ulong MaxTrailingLogs = 250;

    public static readonly AutopilotConfigurationJson Json = new(
        CleanupDeadServers: true,
        LastContactThreshold: GoDuration.Format(LastContactThreshold),
        MaxTrailingLogs: MaxTrailingLogs,
        MinQuorum: 0,
        ServerStabilizationTime: GoDuration.Format(TimeSpan.FromSeconds(10)),
        RedundancyZoneTag: "",
        DisableUpgradeMigration: false,
        UpgradeVersionTag: "",
        CreateIndex: 0,
        ModifyIndex: 0);
}

/// <summary>structs.RaftServer, fields in Consul's order.</summary>
public sealed record RaftServerJson(string ID, string Node, string Address, bool Leader, string ProtocolVersion, bool Voter, ulong LastIndex);

/// <summary>structs.RaftConfigurationResponse.</summary>
public sealed record RaftConfigurationJson(IReadOnlyList<RaftServerJson> Servers, ulong Index);

/// <summary>api.TransferLeaderResponse.</summary>
public sealed record TransferLeaderJson(bool Success);

/// <summary>api.AutopilotConfiguration; durations as Go duration strings.</summary>
public sealed record AutopilotConfigurationJson(
    bool CleanupDeadServers, string LastContactThreshold, ulong MaxTrailingLogs, uint MinQuorum,
    string ServerStabilizationTime, string RedundancyZoneTag, bool DisableUpgradeMigration, string UpgradeVersionTag,
    ulong CreateIndex, ulong ModifyIndex);

/// <summary>api.ServerHealth; LastContact a Go duration string, StableSince RFC 3339 to the second.</summary>
public sealed record ServerHealthJson(
    string ID, string Name, string Address, string SerfStatus, string Version, bool Leader, string LastContact,
    ulong LastTerm, ulong LastIndex, bool Healthy, bool Voter, string StableSince);

/// <summary>api.OperatorHealthReply.</summary>
public sealed record OperatorHealthJson(bool Healthy, int FailureTolerance, IReadOnlyList<ServerHealthJson> Servers);
