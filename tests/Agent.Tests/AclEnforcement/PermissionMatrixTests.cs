using System.Net;
using System.Text.Json.Nodes;
using Consul.Agent.Acl;
using Consul.Agent.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.AclEnforcement;

/// <summary>
/// Every HTTP endpoint against every kind of caller (no token, a granted anonymous token,
/// read-only, prefix-limited, management) under default_policy deny and allow: exact status
/// and denial text for gated requests, exactly the readable items (and the filtered header)
/// for listings. The rows live in <see cref="MatrixRows"/>.
/// </summary>
public sealed class PermissionMatrixTests
{
    private static readonly Caller[] TokenPhase = [Caller.Mgmt, Caller.None, Caller.ReadOnly, Caller.Prefix];

    [Fact(Timeout = 60000)]
    public Task Matrix_under_default_policy_deny() => RunMatrix("deny");

    [Fact(Timeout = 60000)]
    public Task Matrix_under_default_policy_allow() => RunMatrix("allow");

    private static async Task RunMatrix(string policy)
    {
        await using var agent = await AclTestAgent.StartAsync(policy);
        var run = new MatrixRun(agent);
        // Reads before writes, so the writes' scratch objects never shape what the reads expect.
        foreach (var row in MatrixRows.All.Where(r => !r.IsWrite))
            foreach (var caller in TokenPhase) await row.Check(run, row, caller);
        foreach (var row in MatrixRows.All.Where(r => r.IsWrite))
            foreach (var caller in TokenPhase) await row.Check(run, row, caller);

        // The same tokenless requests once the anonymous token has been granted something.
        await agent.GrantAnonymousAsync();
        foreach (var row in MatrixRows.All.OrderBy(r => r.IsWrite))
            await row.Check(run, row, Caller.Anon);

        Assert.True(run.Failures.Count == 0, $"{run.Failures.Count} mismatches:\n" + string.Join("\n", run.Failures));
    }

    /// <summary>Routes whose ACLs are enforced and tested by their own area (the /v1/acl endpoints).</summary>
    private static readonly string[] DelegatedPrefixes = ["/v1/acl/"];

    [Fact(Timeout = 30000)]
    public async Task Every_mapped_route_has_a_matrix_row()
    {
        await using var agent = await AclTestAgent.StartAsync("deny", seed: false);
        var sources = agent.Host.App.Services.GetServices<EndpointDataSource>();
        var mapped = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (Pattern: "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'), Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]))
            .Where(e => e.Pattern == "/" || e.Pattern.StartsWith("/v1/", StringComparison.Ordinal))
            .Where(e => !DelegatedPrefixes.Any(p => e.Pattern.StartsWith(p, StringComparison.Ordinal)))
            .SelectMany(e => e.Methods.Select(m => $"{m} {e.Pattern}"))
            .Distinct().ToList();
        Assert.True(mapped.Count > 50, $"only {mapped.Count} routes found; is the route table read right?");
        var covered = MatrixRows.All.Select(r => $"{r.Method} {r.Route}").ToHashSet();
        var missing = mapped.Where(m => !covered.Contains(m)).Order().ToList();
        Assert.True(missing.Count == 0, "routes without a permission-matrix row:\n" + string.Join("\n", missing));
        var stale = covered.Where(c => !mapped.Contains(c)).Order().ToList();
        Assert.True(stale.Count == 0, "matrix rows for routes that are not mapped:\n" + string.Join("\n", stale));
    }
}
