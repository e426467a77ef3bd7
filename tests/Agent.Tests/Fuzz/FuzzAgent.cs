using System.Text;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Hosting;
using Consul.Core.Acl;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.State;
using Consul.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Fuzz;

/// <summary>
/// An in-process dev agent with ACLs on (default deny, "root" as initial management) that keeps
/// the errors it logs, and a handful of tokens that may read but never write.
/// </summary>
internal sealed class FuzzAgent : IAsyncDisposable
{
    /// <summary>Reads everything there is to read; writes nothing.</summary>
    public const string ReadOnlyRules = """
        acl = "read"
        agent_prefix "" { policy = "read" }
        event_prefix "" { policy = "read" }
        key_prefix "" { policy = "list" }
        keyring = "read"
        node_prefix "" { policy = "read" }
        operator = "read"
        query_prefix "" { policy = "read" }
        service_prefix "" { policy = "read" }
        session_prefix "" { policy = "read" }
        """;

    private FuzzAgent(WebApplication app, ServerErrorLog errors)
    {
        App = app;
        Errors = errors;
        Client = app.GetTestClient();
        Client.Timeout = Timeout.InfiniteTimeSpan;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public ServerErrorLog Errors { get; }
    public StateStore Store => App.Services.GetRequiredService<StateStore>();

    /// <summary>Secrets of tokens without write permission (plus accessor IDs sent as if secrets).</summary>
    public List<string> Tokens { get; } = [];

    public static async Task<FuzzAgent> StartAsync()
    {
        var config = AgentTestHost.DefaultConfig() with
        {
            Acl = new AclConfig { Enabled = true, DefaultPolicy = "deny", Tokens = new AclTokensConfig { InitialManagement = "root" } },
            // The agent's own coordinate updates are legitimate writes; keep them out of the run.
            SyncCoordinateIntervalMin = TimeSpan.FromHours(1),
        };
        var errors = new ServerErrorLog();
        var app = AgentHost.Build(config, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.AddProvider(errors);
        });
        await app.StartAsync();
        var agent = new FuzzAgent(app, errors);
        await agent.CreateTokensAsync();
        return agent;
    }

    /// <summary>The app's route table: every route template with its methods.</summary>
    public List<FuzzRoute> Routes() =>
        ((IEndpointRouteBuilder)App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { Length: > 0 })
            .GroupBy(e => e.RoutePattern.RawText!)
            .Select(g => new FuzzRoute(g.Key.StartsWith('/') ? g.Key : "/" + g.Key,
                g.SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Distinct().ToList()))
            .OrderBy(r => r.Template, StringComparer.Ordinal)
            .ToList();

    private async Task CreateTokensAsync()
    {
        await AgentTestHost.WaitUntil(() => Task.FromResult(
                Store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && Store.Current.AclSecrets.ContainsKey("root")),
            TimeSpan.FromSeconds(15), "ACL initialization");
        var log = App.Services.GetRequiredService<ICommandLog>();
        await Apply(log, new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = "fuzz-read-all", Name = "fuzz-read-all", Rules = ReadOnlyRules }.WithHash() });
        await Apply(log, new AclCommand { Verb = AclCommand.PolicySet, Policy = new AclPolicy { ID = "fuzz-kv-a", Name = "fuzz-kv-a", Rules = """key_prefix "a" { policy = "read" }""" }.WithHash() });
        var now = DateTimeOffset.UtcNow;
        (string Secret, string[] Policies, DateTimeOffset? Expires)[] tokens =
        [
            ("fuzz-reader", ["fuzz-read-all"], null),
            ("fuzz-kv-reader", ["fuzz-kv-a"], null),
            ("fuzz-nothing", [], null),
            ("fuzz-dangling", ["no-such-policy"], null),
            ("fuzz-expired", ["fuzz-read-all"], now.AddSeconds(-1)),
        ];
        foreach (var (secret, policies, expires) in tokens)
        {
            await Apply(log, new AclCommand
            {
                Verb = AclCommand.TokenSet,
                Token = new AclToken
                {
                    AccessorID = Guid.NewGuid().ToString(),
                    SecretID = secret,
                    Description = secret,
                    CreateTime = expires?.AddMinutes(-1) ?? now,
                    ExpirationTime = expires,
                    Policies = policies.Select(p => new AclTokenPolicyLink { ID = p }).ToList(),
                }.WithHash(),
            });
            Tokens.Add(secret);
        }
        Tokens.AddRange(Store.Current.AclTokens.Keys); // accessor IDs are not secrets
    }

    private static async Task Apply(ICommandLog log, AclCommand command)
    {
        var result = await log.ApplyAsync(command, CancellationToken.None);
        if (!result.Ok) throw new InvalidOperationException(result.Error);
    }

    /// <summary>
    /// Everything a request without write permission must leave alone: every state table's index,
    /// the ACL bootstrap, the agent's local services and checks, its tokens and the user events.
    /// </summary>
    public string Fingerprint()
    {
        var s = Store.Current;
        var text = new StringBuilder();
        foreach (var (table, index) in s.TableIndexes.OrderBy(t => t.Key, StringComparer.Ordinal)) text.Append(table).Append('=').Append(index).Append('\n');
        text.Append("acl-bootstrap=").Append(s.AclBootstrapIndex).Append('\n');
        var local = App.Services.GetRequiredService<LocalState>();
        foreach (var svc in local.Services()) text.Append("local service ").Append(svc.Service.ID).Append('\n');
        foreach (var check in local.Checks()) text.Append("local check ").Append(check.Check.CheckID).Append(' ').Append(check.Check.Status).Append('\n');
        var tokens = App.Services.GetRequiredService<AgentTokens>();
        foreach (var kind in AgentTokens.Kinds) text.Append("token ").Append(kind).Append('=').Append(tokens.Get(kind)).Append('\n');
        text.Append("user events=").Append(App.Services.GetRequiredService<UserEventStore>().Snapshot().Events.Count).Append('\n');
        return text.ToString();
    }

    /// <summary>Waits until the agent's own start-up writes (node, services, checks) have settled.</summary>
    public async Task SettleAsync()
    {
        var last = Store.Current.LastIndex;
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(1))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("agent state did not settle");
            await Task.Delay(50);
            var now = Store.Current.LastIndex;
            if (now != last) (last, stableSince) = (now, DateTime.UtcNow);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.StopAsync(cts.Token);
        await App.DisposeAsync();
    }
}
