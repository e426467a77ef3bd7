using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Consul.Core.Acl;
using Consul.Core.Cluster;

namespace Consul.Agent.Http;

/// <summary>/v1/agent self, members, host, version, metrics, reload, leave.</summary>
public static class AgentInfoEndpoints
{
    public static void MapAgentInfoEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/agent/self", Self);
        app.MapGet("/v1/agent/members", Members);
        app.MapGet("/v1/agent/host", Host);
        app.MapGet("/v1/agent/version", Version);
        app.MapGet("/v1/agent/metrics", Metrics);
        app.MapPut("/v1/agent/reload", Reload);
        app.MapPut("/v1/agent/leave", Leave);
    }

    private static MemberInfo LocalMember(ApiContext api) =>
        api.Cluster.LanMembers().FirstOrDefault(m => m.Name == api.Config.NodeName) ?? api.Cluster.LanMembers()[0];

    /// <summary>agent:read on this agent's node name (Consul's AgentReadAllowed).</summary>
    private static void RequireAgentRead(HttpContext ctx, ApiContext api) =>
        Authorizer.Require(AclFilters.Authz(ctx, api).AgentReadAllowed(api.Config.NodeName));

    private static void RequireAgentWrite(HttpContext ctx, ApiContext api) =>
        Authorizer.Require(AclFilters.Authz(ctx, api).AgentWriteAllowed(api.Config.NodeName));

    private static Task Self(HttpContext ctx, ApiContext api)
    {
        RequireAgentRead(ctx, api);
        var c = api.Config;
        var raft = api.Cluster.Raft();
        var member = LocalMember(api);
        var services = api.Local.Services().Count;
        var checks = api.Local.Checks();
        var self = new Dictionary<string, object?>
        {
            ["Config"] = new Dictionary<string, object?>
            {
                ["Datacenter"] = c.Datacenter,
                ["PrimaryDatacenter"] = c.Datacenter,
                ["NodeName"] = c.NodeName,
                ["NodeID"] = c.NodeId,
                ["Partition"] = "",
                ["Revision"] = AgentVersion.Revision,
                ["Server"] = c.Server,
                ["Version"] = AgentVersion.Version,
                ["BuildDate"] = AgentVersion.BuildDate,
            },
            ["DebugConfig"] = new Dictionary<string, object?>
            {
                ["Bootstrap"] = c.Bootstrap,
                ["BootstrapExpect"] = c.BootstrapExpect,
                ["BindAddr"] = c.BindAddr,
                ["AdvertiseAddrLAN"] = c.AdvertiseAddr,
                ["AdvertiseAddrWAN"] = c.AdvertiseAddrWan,
                ["ClientAddrs"] = c.ClientAddrs,
                ["DataDir"] = c.DataDir,
                ["Datacenter"] = c.Datacenter,
                ["DevMode"] = c.Dev,
                ["DNSDomain"] = c.Domain,
                ["DNSRecursors"] = c.Recursors,
                ["DNSPort"] = c.Ports.Dns,
                ["HTTPPort"] = c.Ports.Http,
                ["HTTPSPort"] = c.Ports.Https,
                ["ServerPort"] = c.Ports.Server,
                ["SerfPortLAN"] = c.Ports.SerfLan,
                ["SerfPortWAN"] = c.Ports.SerfWan,
                ["NodeName"] = c.NodeName,
                ["NodeID"] = c.NodeId,
                ["ServerMode"] = c.Server,
                ["UIConfig"] = new Dictionary<string, object?> { ["Enabled"] = c.UiEnabled },
                ["EnableScriptChecks"] = c.EnableScriptChecks,
                ["EnableLocalScriptChecks"] = c.EnableLocalScriptChecks,
            },
            ["Coord"] = new Dictionary<string, object?>
            {
                ["Vec"] = new double[8], ["Error"] = 1.5, ["Adjustment"] = 0.0, ["Height"] = 1e-5,
            },
            ["Member"] = member,
            ["Stats"] = Stats(api, raft, services, checks.Count, checks.Count(x => x.Check.Type == "ttl")),
            ["Meta"] = new Dictionary<string, string> { ["consul-network-segment"] = "", ["consul-version"] = AgentVersion.Version },
            ["xDS"] = null,
        };
        return ApiResponses.WriteJson(ctx, api, self);
    }

    /// <summary>The sections `consul info` prints; every value a string, as Consul's.</summary>
    private static Dictionary<string, Dictionary<string, string>> Stats(ApiContext api, RaftStatus raft, int services, int checks, int ttls)
    {
        static string S(object v) => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
        var members = api.Cluster.LanMembers();
        var stats = new Dictionary<string, Dictionary<string, string>>
        {
            ["agent"] = new()
            {
                ["check_monitors"] = S(checks - ttls), ["check_ttls"] = S(ttls), ["checks"] = S(checks), ["services"] = S(services),
            },
            ["build"] = new()
            {
                ["prerelease"] = "", ["revision"] = AgentVersion.Revision, ["version"] = AgentVersion.Version, ["version_metadata"] = "",
            },
            ["runtime"] = new()
            {
                ["arch"] = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant() switch { "x64" => "amd64", var a => a },
                ["cpu_count"] = S(Environment.ProcessorCount),
                ["goroutines"] = S(ThreadPoolThreads()),
                ["max_procs"] = S(Environment.ProcessorCount),
                ["os"] = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
                ["version"] = RuntimeInformation.FrameworkDescription,
            },
            ["serf_lan"] = new()
            {
                ["members"] = S(members.Count),
                ["failed"] = S(members.Count(m => m.Status == MemberInfo.StatusFailed)),
                ["left"] = S(members.Count(m => m.Status == MemberInfo.StatusLeft)),
                ["encrypted"] = string.IsNullOrEmpty(api.Config.Encrypt) ? "false" : "true",
                ["health_score"] = "0",
            },
        };
        if (api.Config.Server)
        {
            var wan = api.Cluster.WanMembers();
            stats["serf_wan"] = new()
            {
                ["members"] = S(wan.Count),
                ["failed"] = S(wan.Count(m => m.Status == MemberInfo.StatusFailed)),
                ["left"] = S(wan.Count(m => m.Status == MemberInfo.StatusLeft)),
                ["encrypted"] = string.IsNullOrEmpty(api.Config.Encrypt) ? "false" : "true",
                ["health_score"] = "0",
            };
            stats["consul"] = new()
            {
                ["bootstrap"] = api.Config.Bootstrap ? "true" : "false",
                ["known_datacenters"] = S(api.Cluster.Datacenters().Count),
                ["leader"] = raft.State == "Leader" ? "true" : "false",
                ["leader_addr"] = raft.LeaderAddress,
                ["server"] = "true",
            };
            stats["raft"] = new()
            {
                ["state"] = raft.State,
                ["term"] = S(raft.Term),
                ["commit_index"] = S(raft.CommitIndex),
                ["applied_index"] = S(raft.AppliedIndex),
                ["last_log_index"] = S(raft.LastLogIndex),
                ["last_contact"] = raft.State == "Leader" ? "0" : $"{raft.LastContact.TotalMilliseconds:0.###}ms",
                ["num_peers"] = S(Math.Max(0, raft.Servers.Count(s => s.Voter) - 1)),
                ["protocol_version"] = "3",
            };
        }
        else
        {
            stats["consul"] = new() { ["known_servers"] = S(members.Count(m => m.Tags.GetValueOrDefault("role") == "consul")), ["server"] = "false" };
        }
        return stats;
    }

    private static int ThreadPoolThreads() => ThreadPool.ThreadCount;

    private static async Task Members(HttpContext ctx, ApiContext api)
    {
        var authz = AclFilters.Authz(ctx, api);
        var q = ctx.Request.Query;
        var wan = q.TryGetValue("wan", out var w) && w.ToString() != "";
        var segment = q["segment"].ToString();
        if (wan && segment is not ("" or "_all")) throw ApiException.BadRequest("Cannot provide a segment with wan=true");
        var members = wan ? api.Cluster.WanMembers() : api.Cluster.LanMembers();
        if (!wan && segment is not ("" or "_all"))
            members = members.Where(m => m.Tags.GetValueOrDefault("segment", "") == segment).ToList();
        // filterMembers: node:read on each member, before ?filter.
        var visible = AclFilters.Keep(members, m => authz.NodeRead(m.Name), out var removed);
        AclFilters.MarkFiltered(ctx, api, removed);
        await ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(visible, QueryOptions.Parse(ctx.Request, api.Config.Datacenter)));
    }

    private static Task Version(HttpContext ctx, ApiContext api) =>
        ApiResponses.WriteJson(ctx, api, new Dictionary<string, string>
        {
            ["SHA"] = AgentVersion.Revision, ["BuildDate"] = AgentVersion.BuildDate, ["HumanVersion"] = AgentVersion.Version, ["FIPS"] = "",
        });

    private static Task Host(HttpContext ctx, ApiContext api)
    {
        Authorizer.Require(AclFilters.Authz(ctx, api).OperatorReadAllowed());
        return ApiResponses.WriteJson(ctx, api, HostInfo.Collect(api.Time));
    }

    private static Task Metrics(HttpContext ctx, ApiContext api)
    {
        RequireAgentRead(ctx, api);
        MetricsSnapshot.RefreshRuntimeGauges(api);
        if (ctx.Request.Query["format"].ToString() == "prometheus")
        {
            ctx.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            return ctx.Response.WriteAsync(MetricsSnapshot.Prometheus(api.Metrics), Encoding.UTF8);
        }
        return ApiResponses.WriteJson(ctx, api, MetricsSnapshot.Json(api.Metrics, api.Time.GetUtcNow()));
    }

    private static async Task Reload(HttpContext ctx, ApiContext api)
    {
        RequireAgentWrite(ctx, api);
        var error = await api.Control.ReloadAsync();
        if (error is not null) throw new ApiException(500, $"Failed to reload configs: {error}");
    }

    private static async Task Leave(HttpContext ctx, ApiContext api)
    {
        RequireAgentWrite(ctx, api);
        // Answer first, then leave: the client should see the 200 before the listener closes.
        ctx.Response.OnCompleted(() => api.Control.LeaveAsync());
        await Task.CompletedTask;
    }
}
