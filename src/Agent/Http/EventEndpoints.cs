using System.Text.RegularExpressions;
using Consul.Core.Acl;
using Consul.Core.Events;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>/v1/event/fire/:name and /v1/event/list (blocking on the last event's ID).</summary>
public static class EventEndpoints
{
    public static void MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/v1/event/fire/{**name}", Fire);
        app.MapGet("/v1/event/list", List);
    }

    private static async Task Fire(HttpContext ctx, ApiContext api, string? name)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        ApiResponses.CheckDatacenter(api, opts.Datacenter);
        if (string.IsNullOrEmpty(name)) throw ApiException.BadRequest("Missing name");
        var q = ctx.Request.Query;
        var e = new UserEvent
        {
            ID = Guid.NewGuid().ToString(),
            Name = name,
            NodeFilter = q["node"].ToString(),
            ServiceFilter = q["service"].ToString(),
            TagFilter = q["tag"].ToString(),
        };
        foreach (var pattern in new[] { e.NodeFilter, e.ServiceFilter, e.TagFilter }.Where(p => p != ""))
        {
            try { _ = new Regex(pattern); }
            catch (ArgumentException ex) { throw ApiException.BadRequest($"Invalid regular expression \"{pattern}\": {ex.Message}"); }
        }
        if (e.TagFilter != "" && e.ServiceFilter == "") throw ApiException.BadRequest("Cannot provide tag filter without service filter");

        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
        var payload = buffer.Length == 0 ? null : buffer.ToArray();
        if (name.Length + (payload?.Length ?? 0) > UserEventStore.SizeLimit)
            throw new ApiException(StatusCodes.Status413RequestEntityTooLarge,
                $"Failed to fire event: user event exceeds configured limit of {UserEventStore.SizeLimit} bytes");
        e = e with { Payload = payload };
        // Internal.EventFire refuses without event:write; the HTTP layer answers the bare error.
        if (!FireAuthz(ctx, api).EventWrite(name))
            throw new ApiException(StatusCodes.Status403Forbidden, AclErrors.PermissionDenied);
        if (api.BroadcastUserEvent is { } broadcast) broadcast(e); // comes back to this agent through gossip too
        else
        {
            api.UserEvents.Receive(e with { LTime = api.UserEvents.NextLTime() }, api.Config.NodeName,
                api.Local.Services().Select(s => (s.Service.Service, (IReadOnlyList<string>)s.Service.Tags)));
        }
        // Consul answers with the event as sent: its Lamport time is only set on receipt.
        await ApiResponses.WriteJson(ctx, api, e with { LTime = 0 });
    }

    /// <summary>Consul's EventFire only turns permission errors into 403; an unknown token fails the RPC with a 500.</summary>
    private static Authorizer FireAuthz(HttpContext ctx, ApiContext api)
    {
        try
        {
            return AclFilters.Authz(ctx, api);
        }
        catch (ApiException e) when (e.Status == StatusCodes.Status403Forbidden && AclErrors.IsNotFound(e.Message))
        {
            throw new ApiException(StatusCodes.Status500InternalServerError, e.Message);
        }
    }

    private static async Task List(HttpContext ctx, ApiContext api)
    {
        var opts = QueryOptions.Parse(ctx.Request, api.Config.Datacenter);
        var authz = AclFilters.Authz(ctx, api);
        var name = ctx.Request.Query["name"].ToString();
        var wait = ApiResponses.BlockingWait(api, opts);
        using var deadline = new CancellationTokenSource(wait, api.Time);
        while (true)
        {
            var (events, changed) = api.UserEvents.Snapshot();
            // Name filter first, then event:read, so the header counts only ACL removals;
            // the index comes from what the token sees.
            var named = events.Where(e => name == "" || e.Name == name);
            var matching = AclFilters.Keep(named, e => authz.EventRead(e.Name), out var removed);
            // No events still reports a non-zero index, so watchers do not spin.
            var index = matching.Count == 0 ? 1 : UserEventStore.IndexOf(matching[^1].ID);
            if (opts.MinIndex == 0 || index != opts.MinIndex || deadline.IsCancellationRequested)
            {
                ApiResponses.SetMeta(ctx, api, index, opts.Consistency);
                AclFilters.MarkFiltered(ctx, api, removed);
                await ApiResponses.WriteJson(ctx, api, matching);
                return;
            }
            var expired = Task.Delay(Timeout.Infinite, deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            await Task.WhenAny(changed, expired).WaitAsync(ctx.RequestAborted);
        }
    }
}
