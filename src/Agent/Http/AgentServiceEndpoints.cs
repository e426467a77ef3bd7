using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using Consul.Core.Acl;
using Consul.Core.Local;
using Consul.Core.Model;

namespace Consul.Agent.Http;

/// <summary>/v1/agent services, checks, maintenance and local health — what this agent owns.</summary>
public static class AgentServiceEndpoints
{
    public static void MapAgentServiceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/agent/services", Services);
        app.MapGet("/v1/agent/service/{**id}", Service);
        app.MapPut("/v1/agent/service/register", RegisterService);
        app.MapPut("/v1/agent/service/deregister/{**id}", DeregisterService);
        app.MapPut("/v1/agent/service/maintenance/{**id}", ServiceMaintenance);
        app.MapPut("/v1/agent/maintenance", NodeMaintenance);
        app.MapGet("/v1/agent/health/service/id/{**id}", HealthById);
        app.MapGet("/v1/agent/health/service/name/{**name}", HealthByName);
        app.MapGet("/v1/agent/checks", Checks);
        app.MapPut("/v1/agent/check/register", RegisterCheck);
        app.MapPut("/v1/agent/check/deregister/{**id}", DeregisterCheck);
        app.MapPut("/v1/agent/check/pass/{**id}", (HttpContext c, ApiContext a, string? id) => Ttl(c, a, id, HealthStatus.Passing));
        app.MapPut("/v1/agent/check/warn/{**id}", (HttpContext c, ApiContext a, string? id) => Ttl(c, a, id, HealthStatus.Warning));
        app.MapPut("/v1/agent/check/fail/{**id}", (HttpContext c, ApiContext a, string? id) => Ttl(c, a, id, HealthStatus.Critical));
        app.MapPut("/v1/agent/check/update/{**id}", UpdateCheck);
    }

    private static Task Services(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var dc = api.Config.Datacenter;
        var authz = AclFilters.Authz(ctx, api);
        var result = api.Local.Services().ToDictionary(s => s.Service.ID, s => AgentServiceJson.From(s.Service, dc), StringComparer.Ordinal);
        // Agent endpoints filter by ACL before ?filter, so expressions only ever see readable data.
        var visible = AclFilters.Keep(result, s => authz.ServiceRead(s.Service), out var removed);
        AclFilters.MarkFiltered(ctx, api, removed);
        return ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(visible, opts));
    }

    /// <summary>One service with its ContentHash; ?hash blocks until the hash changes.</summary>
    private static async Task Service(HttpContext ctx, ApiContext api, string? id)
    {
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing service ID");
        // The PUT-only siblings of this route answer other methods with 405, as Consul's mux does.
        if (id == "register" || id.StartsWith("deregister/", StringComparison.Ordinal) || id.StartsWith("maintenance/", StringComparison.Ordinal))
            throw ApiException.MethodNotAllowed(ctx.Request.Method);
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var wantHash = ctx.Request.Query["hash"].ToString();
        var wait = ApiResponses.BlockingWait(api, opts);
        using var deadline = new CancellationTokenSource(wait, api.Time);
        while (true)
        {
            var changed = api.Local.WaitForChange();
            var svc = api.Local.Service(id)
                ?? throw ApiException.NotFound($"unknown service ID: {id}");
            Authorizer.Require(authz.ServiceReadAllowed(svc.Service.Service));
            var json = AgentServiceJson.From(svc.Service, api.Config.Datacenter);
            var hash = ContentHash(json);
            if (wantHash == "" || wantHash != hash || deadline.IsCancellationRequested)
            {
                ctx.Response.Headers["X-Consul-ContentHash"] = hash;
                await ApiResponses.WriteJson(ctx, api, json with { ContentHash = hash });
                return;
            }
            var expired = Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.WhenAny(changed, expired).WaitAsync(ctx.RequestAborted);
        }
    }

    private static string ContentHash(AgentServiceJson s) =>
        Convert.ToHexStringLower(XxHash64.Hash(JsonSerializer.SerializeToUtf8Bytes(s, ApiJson.Compact)));

    private static async Task RegisterService(HttpContext ctx, ApiContext api)
    {
        var def = await ApiResponses.ReadBody<ServiceDefinition>(ctx, CheckJsonAliases.NormalizeService);
        if (string.IsNullOrEmpty(def.Name)) throw ApiException.BadRequest("Missing service name");
        if (def.Address is "0.0.0.0" or "::" or "[::]") throw ApiException.BadRequest("Invalid service address");
        foreach (var c in new[] { def.Check }.Concat(def.Checks ?? []).Where(c => c is not null))
        {
            if (!string.IsNullOrEmpty(c!.Status) && !HealthStatus.IsValid(c.Status))
                throw ApiException.BadRequest("Status for checks must 'passing', 'warning', 'critical'");
        }
        AgentAcl.VetServiceRegister(AclFilters.Authz(ctx, api), api.Local, def);
        var q = ctx.Request.Query;
        var replace = q.ContainsKey("replace-existing-checks") && q["replace-existing-checks"].ToString() is "" or "true";
        api.Control.Registrar.RegisterService(def, QueryOptions.ParseToken(ctx.Request), replace, fromConfig: false);
    }

    private static Task DeregisterService(HttpContext ctx, ApiContext api, string? id)
    {
        AgentAcl.VetServiceUpdate(AclFilters.Authz(ctx, api), api.Local, id ?? "");
        api.Control.Registrar.DeregisterService(id ?? "");
        return Task.CompletedTask;
    }

    private static Task ServiceMaintenance(HttpContext ctx, ApiContext api, string? id)
    {
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing service ID");
        var enable = ParseEnable(ctx);
        AgentAcl.VetServiceUpdate(AclFilters.Authz(ctx, api), api.Local, id);
        api.Control.Registrar.SetServiceMaintenance(id, enable, ctx.Request.Query["reason"].ToString(), QueryOptions.ParseToken(ctx.Request));
        return Task.CompletedTask;
    }

    private static Task NodeMaintenance(HttpContext ctx, ApiContext api)
    {
        var enable = ParseEnable(ctx);
        Authorizer.Require(AclFilters.Authz(ctx, api).NodeWriteAllowed(api.Config.NodeName));
        api.Control.Registrar.SetNodeMaintenance(enable, ctx.Request.Query["reason"].ToString(), QueryOptions.ParseToken(ctx.Request));
        return Task.CompletedTask;
    }

    private static bool ParseEnable(HttpContext ctx)
    {
        if (!ctx.Request.Query.ContainsKey("enable")) throw ApiException.BadRequest("Missing value for enable");
        var raw = ctx.Request.Query["enable"].ToString();
        return GoQuery.TryParseBool(raw, out var enable) ? enable : throw ApiException.BadRequest($"Invalid value for enable: \"{raw}\"");
    }

    private static Task Checks(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var visible = AclFilters.Keep(api.Local.Checks(), c => AgentAcl.CanReadCheck(authz, api.Config.NodeName, c.Check), out var removed);
        AclFilters.MarkFiltered(ctx, api, removed);
        var result = visible.ToDictionary(c => c.Check.CheckID, c => HealthCheckJson.From(c.Check), StringComparer.Ordinal);
        return ApiResponses.WriteJson(ctx, api, ApiFilter.Apply(result, opts));
    }

    private static async Task RegisterCheck(HttpContext ctx, ApiContext api)
    {
        var def = await ApiResponses.ReadBody<CheckDefinition>(ctx, CheckJsonAliases.NormalizeCheck);
        VetCheckRegister(ctx, api, def);
        api.Control.Registrar.RegisterCheck(def, QueryOptions.ParseToken(ctx.Request), fromConfig: false);
    }

    /// <summary>After Consul's own checks (name, status, known service), the ACL vet; invalid input is left to the registrar's errors.</summary>
    private static void VetCheckRegister(HttpContext ctx, ApiContext api, CheckDefinition def)
    {
        var authz = AclFilters.Authz(ctx, api);
        if (string.IsNullOrEmpty(def.Name) || (!string.IsNullOrEmpty(def.Status) && !HealthStatus.IsValid(def.Status))) return;
        var serviceName = "";
        if (!string.IsNullOrEmpty(def.ServiceID))
        {
            if (api.Local.Service(def.ServiceID) is not { } owner) return;
            serviceName = owner.Service.Service;
        }
        var checkId = !string.IsNullOrEmpty(def.EffectiveID) ? def.EffectiveID : def.Name;
        AgentAcl.VetCheckRegister(authz, api.Local, api.Config.NodeName, checkId, serviceName);
    }

    private static Task DeregisterCheck(HttpContext ctx, ApiContext api, string? id)
    {
        AgentAcl.VetCheckUpdate(AclFilters.Authz(ctx, api), api.Local, api.Config.NodeName, id ?? "");
        api.Control.Registrar.DeregisterCheck(id ?? "");
        return Task.CompletedTask;
    }

    private static Task Ttl(HttpContext ctx, ApiContext api, string? id, string status)
    {
        AgentAcl.VetCheckUpdate(AclFilters.Authz(ctx, api), api.Local, api.Config.NodeName, id ?? "");
        api.Control.Registrar.UpdateCheck(id ?? "", status, ctx.Request.Query["note"].ToString());
        return Task.CompletedTask;
    }

    private static async Task UpdateCheck(HttpContext ctx, ApiContext api, string? id)
    {
        var update = await ApiResponses.ReadBody<CheckUpdateRequest>(ctx);
        if (!HealthStatus.IsValid(update.Status))
            throw ApiException.BadRequest($"Invalid check status: '{update.Status}'");
        AgentAcl.VetCheckUpdate(AclFilters.Authz(ctx, api), api.Local, api.Config.NodeName, id ?? "");
        api.Control.Registrar.UpdateCheck(id ?? "", update.Status!, update.Output ?? "");
    }

    private static bool WantsText(HttpRequest req)
    {
        if (req.Headers.Accept.ToString().StartsWith("text/plain", StringComparison.Ordinal)) return true;
        var format = req.Query["format"].ToString();
        return format == "text";
    }

    /// <summary>Aggregated local health: maintenance beats critical beats warning beats passing.</summary>
    private static (int Code, string Status, List<ApiHealthCheckJson> Checks) ServiceHealth(ApiContext api, string serviceId)
    {
        var checks = api.Local.Checks().Select(c => c.Check).Where(c => c.ServiceID == serviceId || c.ServiceID == "").ToList();
        var status = HealthStatus.Passing;
        foreach (var c in checks)
        {
            if (c.CheckID == LocalState.NodeMaintenanceCheckId || c.CheckID.StartsWith(LocalState.ServiceMaintenancePrefix, StringComparison.Ordinal))
            {
                status = HealthStatus.Maintenance;
                break;
            }
            status = HealthStatus.Worst(status, c.Status);
        }
        var code = status switch { HealthStatus.Passing => 200, HealthStatus.Warning => 429, _ => 503 };
        return (code, status, checks.Select(ApiHealthCheckJson.From).ToList());
    }

    private static async Task HealthById(HttpContext ctx, ApiContext api, string? id)
    {
        if (string.IsNullOrEmpty(id)) throw ApiException.BadRequest("Missing serviceID");
        var authz = AclFilters.Authz(ctx, api);
        var svc = api.Local.Service(id);
        if (svc is null)
        {
            var reason = $"ServiceId {id} not found";
            if (WantsText(ctx.Request)) { await ApiResponses.WriteText(ctx, 404, reason); return; }
            ctx.Response.StatusCode = 404;
            await ApiResponses.WriteJson(ctx, api, new Dictionary<string, object?> { ["AggregatedStatus"] = HealthStatus.Critical, ["Service"] = null, ["Checks"] = null });
            return;
        }
        Authorizer.Require(authz.ServiceReadAllowed(svc.Service.Service));
        var (code, status, checks) = ServiceHealth(api, id);
        if (WantsText(ctx.Request)) { await ApiResponses.WriteText(ctx, code, status); return; }
        ctx.Response.StatusCode = code;
        await ApiResponses.WriteJson(ctx, api, new AgentServiceChecksInfoJson(status, AgentServiceJson.From(svc.Service, api.Config.Datacenter), checks));
    }

    private static async Task HealthByName(HttpContext ctx, ApiContext api, string? name)
    {
        if (string.IsNullOrEmpty(name)) throw ApiException.BadRequest("Missing service Name");
        Authorizer.Require(AclFilters.Authz(ctx, api).ServiceReadAllowed(name));
        var code = 404;
        var status = $"ServiceName {name} Not Found";
        var result = new List<AgentServiceChecksInfoJson>();
        foreach (var svc in api.Local.Services().Where(s => s.Service.Service == name))
        {
            var (scode, sstatus, checks) = ServiceHealth(api, svc.Service.ID);
            result.Add(new AgentServiceChecksInfoJson(sstatus, AgentServiceJson.From(svc.Service, api.Config.Datacenter), checks));
            if (code == 404 || code < scode) { code = scode; status = sstatus; }
        }
        if (WantsText(ctx.Request)) { await ApiResponses.WriteText(ctx, code, status); return; }
        ctx.Response.StatusCode = code;
        await ApiResponses.WriteJson(ctx, api, result);
    }
}
