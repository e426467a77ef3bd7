using System.Net;
using System.Text.Json.Nodes;
using static Consul.Tests.AclEnforcement.MatrixOracle;

namespace Consul.Tests.AclEnforcement;

/// <summary>One run of the matrix against one agent: the agent, its default policy, and the mismatches found.</summary>
public sealed class MatrixRun(AclTestAgent agent)
{
    public AclTestAgent Agent { get; } = agent;
    public string Policy => Agent.DefaultPolicy;
    public List<string> Failures { get; } = [];

    public void Expect(bool ok, Caller caller, MatrixRow row, string what)
    {
        if (!ok) Failures.Add($"[{Policy}] {caller} {row.Method} {row.Url}: {what}");
    }
}

/// <summary>One request of the matrix and how to judge each caller's answer to it.</summary>
public sealed record MatrixRow(string Method, string Route, string Url, bool IsWrite, Func<MatrixRun, MatrixRow, Caller, Task> Check);

/// <summary>
/// Every HTTP route with the requests that exercise it. Gates list the permissions Consul
/// checks, in its order: the first the caller lacks is the 403 it must get. Lists name what
/// each item needs to be visible; the caller must see exactly the management view minus
/// what it may not read, and the filtered header only when something was removed from an
/// authenticated caller's answer.
/// </summary>
public static class MatrixRows
{
    private const string N = AclTestAgent.Node;

    public static IReadOnlyList<MatrixRow> All { get; } = Build();

    private static List<MatrixRow> Build() =>
    [
        // ---- open endpoints ----
        Open("GET", "/", "/"),
        Open("GET", "/v1/status/leader", "/v1/status/leader"),
        Open("GET", "/v1/status/peers", "/v1/status/peers"),
        Open("GET", "/v1/agent/version", "/v1/agent/version"),
        Open("GET", "/v1/catalog/datacenters", "/v1/catalog/datacenters"),

        // ---- KV ----
        Gate("GET", "/v1/kv/{**key}", "/v1/kv/app/config", null, [(Perm.KeyRead, "app/config")], ok: 200),
        Gate("GET", "/v1/kv/{**key}", "/v1/kv/public/info?raw", null, [(Perm.KeyRead, "public/info")], ok: 200),
        Gate("GET", "/v1/kv/{**key}", "/v1/kv/secret/nope", null, [(Perm.KeyRead, "secret/nope")], ok: 404),
        List("/v1/kv/{**key}", "/v1/kv/?recurse", Array(j => (string)j["Key"]!), k => [(Perm.KeyRead, k)], emptyStatus: 404),
        List("/v1/kv/{**key}", "/v1/kv/?keys", Strings, k => [(Perm.KeyRead, k)]),
        List("/v1/kv/{**key}", "/v1/kv/app/?recurse", Array(j => (string)j["Key"]!), k => [(Perm.KeyRead, k)], emptyStatus: 404),
        Gate("PUT", "/v1/kv/{**key}", "/v1/kv/app/w", "x", [(Perm.KeyWrite, "app/w")], ok: 200, write: true),
        Gate("PUT", "/v1/kv/{**key}", "/v1/kv/public/w?flags=3", "x", [(Perm.KeyWrite, "public/w")], ok: 200, write: true),
        Gate("PUT", "/v1/kv/{**key}", "/v1/kv/secret/w?cas=0", "x", [(Perm.KeyWrite, "secret/w")], ok: 200, write: true),
        Gate("DELETE", "/v1/kv/{**key}", "/v1/kv/app/w", null, [(Perm.KeyWrite, "app/w")], ok: 200, write: true),
        Gate("DELETE", "/v1/kv/{**key}", "/v1/kv/app/tmp/?recurse", null, [(Perm.KeyWritePrefix, "app/tmp/")], ok: 200, write: true,
            reset: a => a.MustSucceed("PUT", "/v1/kv/app/tmp/x", "t")),
        Gate("DELETE", "/v1/kv/{**key}", "/v1/kv/public/tmp/?recurse", null, [(Perm.KeyWritePrefix, "public/tmp/")], ok: 200, write: true,
            reset: a => a.MustSucceed("PUT", "/v1/kv/public/tmp/x", "t")),

        // ---- catalog reads ----
        List("/v1/catalog/nodes", "/v1/catalog/nodes", Array(j => (string)j["Node"]!), n => [(Perm.NodeRead, n)]),
        List("/v1/catalog/services", "/v1/catalog/services", Keys, s => [(Perm.ServiceRead, s)]),
        List("/v1/catalog/service/{**name}", "/v1/catalog/service/web", Array(j => (string)j["Node"]!), n => [(Perm.NodeRead, n), (Perm.ServiceRead, "web")]),
        List("/v1/catalog/service/{**name}", "/v1/catalog/service/db", Array(j => (string)j["Node"]!), n => [(Perm.NodeRead, n), (Perm.ServiceRead, "db")]),
        NodeObject("/v1/catalog/node/{**node}", "/v1/catalog/node/" + N, listed: false),
        NodeObject("/v1/catalog/node/{**node}", "/v1/catalog/node/hidden", listed: false),
        NodeObject("/v1/catalog/node-services/{**node}", "/v1/catalog/node-services/" + N, listed: true),
        NodeObject("/v1/catalog/node-services/{**node}", "/v1/catalog/node-services/ext-node", listed: true),

        // ---- catalog writes ----
        Gate("PUT", "/v1/catalog/register", "/v1/catalog/register", """{"Node":"w-node","Address":"127.0.0.9"}""",
            [(Perm.NodeWrite, "w-node")], ok: 200, write: true, reset: DropWNode),
        Gate("PUT", "/v1/catalog/register", "/v1/catalog/register?svc", """{"Node":"w-node","Address":"127.0.0.9","Service":{"ID":"w1","Service":"web"}}""",
            [(Perm.ServiceWrite, "web"), (Perm.NodeWrite, "w-node")], ok: 200, write: true, reset: DropWNode),
        Gate("PUT", "/v1/catalog/register", "/v1/catalog/register?pub", """{"Node":"w-node","Address":"127.0.0.9","Service":{"ID":"p1","Service":"pub-w"}}""",
            [(Perm.ServiceWrite, "pub-w"), (Perm.NodeWrite, "w-node")], ok: 200, write: true, reset: DropWNode),
        // Re-posting ext-node unchanged needs no node:write; taking over service ID db1 needs write on db too,
        // refused with Consul's bare error.
        Gate("PUT", "/v1/catalog/register", "/v1/catalog/register?takeover", ExtNodeWith("pub-x"),
            [(Perm.ServiceWrite, "pub-x"), (Perm.ServiceWrite, "db")], ok: 200, write: true, reset: RestoreDb1,
            deniedText: (c, p, n) => n == "db" ? "Permission denied" : Denied(c, p, n)),
        Gate("PUT", "/v1/catalog/deregister", "/v1/catalog/deregister", """{"Node":"w-node"}""",
            [(Perm.NodeWrite, "w-node")], ok: 200, write: true),

        // ---- health ----
        List("/v1/health/node/{**node}", "/v1/health/node/" + N, CheckItems, CheckNeeds),
        List("/v1/health/checks/{**service}", "/v1/health/checks/web", CheckItems, CheckNeeds),
        List("/v1/health/service/{**service}", "/v1/health/service/web",
            Array(j => (string)j["Node"]!["Node"]! + "|" + (string)j["Service"]!["Service"]!), EntryNeeds),
        List("/v1/health/state/{**state}", "/v1/health/state/any", CheckItems, CheckNeeds),

        // ---- network coordinates ----
        Open("GET", "/v1/coordinate/datacenters", "/v1/coordinate/datacenters"),
        List("/v1/coordinate/nodes", "/v1/coordinate/nodes", Array(j => (string)j["Node"]!), n => [(Perm.NodeRead, n)]),
        Gate("GET", "/v1/coordinate/node/{**node}", "/v1/coordinate/node/ext-node", null, [(Perm.NodeRead, "ext-node")], ok: 200),
        Gate("GET", "/v1/coordinate/node/{**node}", "/v1/coordinate/node/hidden", null, [(Perm.NodeRead, "hidden")], ok: 200),
        Gate("PUT", "/v1/coordinate/update", "/v1/coordinate/update",
            """{"Node":"ext-node","Coord":{"Vec":[0,0,0,0,0,0,0,0],"Error":1.5,"Adjustment":0,"Height":0.00001}}""",
            [(Perm.NodeWrite, "ext-node")], ok: 200, write: true),

        // ---- agent: local services and checks ----
        List("/v1/agent/services", "/v1/agent/services", Values(j => (string)j["Service"]!), s => [(Perm.ServiceRead, s)]),
        List("/v1/agent/checks", "/v1/agent/checks", Values(j => (string)j["ServiceName"]!),
            s => s == "" ? [(Perm.NodeRead, N)] : [(Perm.ServiceRead, s)]),
        Gate("GET", "/v1/agent/service/{**id}", "/v1/agent/service/web1", null, [(Perm.ServiceRead, "web")], ok: 200),
        Gate("GET", "/v1/agent/service/{**id}", "/v1/agent/service/pub1", null, [(Perm.ServiceRead, "pub")], ok: 200),
        Gate("GET", "/v1/agent/health/service/id/{**id}", "/v1/agent/health/service/id/web1", null, [(Perm.ServiceRead, "web")]),
        Gate("GET", "/v1/agent/health/service/name/{**name}", "/v1/agent/health/service/name/web", null, [(Perm.ServiceRead, "web")]),
        Gate("PUT", "/v1/agent/service/register", "/v1/agent/service/register", """{"ID":"web-w","Name":"web"}""",
            [(Perm.ServiceWrite, "web")], ok: 200, write: true, reset: a => Ignore(a, "PUT", "/v1/agent/service/deregister/web-w")),
        Gate("PUT", "/v1/agent/service/register", "/v1/agent/service/register?pub", """{"ID":"pub-w","Name":"pub-w"}""",
            [(Perm.ServiceWrite, "pub-w")], ok: 200, write: true, reset: a => Ignore(a, "PUT", "/v1/agent/service/deregister/pub-w")),
        Gate("PUT", "/v1/agent/service/deregister/{**id}", "/v1/agent/service/deregister/web-w", null,
            [(Perm.ServiceWrite, "web")], ok: 200, write: true, reset: a => a.MustSucceed("PUT", "/v1/agent/service/register", """{"ID":"web-w","Name":"web"}""")),
        Gate("PUT", "/v1/agent/service/maintenance/{**id}", "/v1/agent/service/maintenance/web1?enable=false", null,
            [(Perm.ServiceWrite, "web")], ok: 200, write: true),
        Gate("PUT", "/v1/agent/maintenance", "/v1/agent/maintenance?enable=false", null, [(Perm.NodeWrite, N)], ok: 200, write: true),
        Gate("PUT", "/v1/agent/check/register", "/v1/agent/check/register", """{"ID":"node-w","Name":"node-w","TTL":"10m"}""",
            [(Perm.NodeWrite, N)], ok: 200, write: true, reset: a => Ignore(a, "PUT", "/v1/agent/check/deregister/node-w")),
        Gate("PUT", "/v1/agent/check/register", "/v1/agent/check/register?svc", """{"ID":"web-w2","Name":"web-w2","TTL":"10m","ServiceID":"web1"}""",
            [(Perm.ServiceWrite, "web")], ok: 200, write: true, reset: a => Ignore(a, "PUT", "/v1/agent/check/deregister/web-w2")),
        Gate("PUT", "/v1/agent/check/deregister/{**id}", "/v1/agent/check/deregister/node-w", null,
            [(Perm.NodeWrite, N)], ok: 200, write: true, reset: a => a.MustSucceed("PUT", "/v1/agent/check/register", """{"ID":"node-w","Name":"node-w","TTL":"10m"}""")),
        Gate("PUT", "/v1/agent/check/pass/{**id}", "/v1/agent/check/pass/web-ttl", null, [(Perm.ServiceWrite, "web")], ok: 200, write: true),
        Gate("PUT", "/v1/agent/check/warn/{**id}", "/v1/agent/check/warn/web-ttl", null, [(Perm.ServiceWrite, "web")], ok: 200, write: true),
        Gate("PUT", "/v1/agent/check/fail/{**id}", "/v1/agent/check/fail/node-ttl", null, [(Perm.NodeWrite, N)], ok: 200, write: true),
        Gate("PUT", "/v1/agent/check/update/{**id}", "/v1/agent/check/update/web-ttl", """{"Status":"passing","Output":"ok"}""",
            [(Perm.ServiceWrite, "web")], ok: 200, write: true),

        // ---- agent: info and actions ----
        Gate("GET", "/v1/agent/self", "/v1/agent/self", null, [(Perm.AgentRead, N)], ok: 200),
        Gate("GET", "/v1/agent/metrics", "/v1/agent/metrics", null, [(Perm.AgentRead, N)], ok: 200),
        Gate("GET", "/v1/agent/host", "/v1/agent/host", null, [(Perm.OperatorRead, "")], ok: 200),
        // A bad level answers 400 after the ACL check, so allowed callers need not stream.
        Gate("GET", "/v1/agent/monitor", "/v1/agent/monitor?loglevel=nope", null, [(Perm.AgentRead, N)], ok: 400),
        List("/v1/agent/members", "/v1/agent/members", Array(j => (string)j["Name"]!), n => [(Perm.NodeRead, n)]),
        Gate("PUT", "/v1/agent/reload", "/v1/agent/reload", null, [(Perm.AgentWrite, N)], write: true),
        // Only denials are sent: an allowed leave would stop the agent under test.
        Gate("PUT", "/v1/agent/leave", "/v1/agent/leave", null, [(Perm.AgentWrite, N)], write: true, deniedOnly: true),
        Gate("PUT", "/v1/agent/join/{**address}", "/v1/agent/join/127.0.0.1:1", null, [(Perm.AgentWrite, N)], write: true),
        // The replication token is unused by a single datacenter, so setting it changes nothing else under test.
        Gate("PUT", "/v1/agent/token/{**kind}", "/v1/agent/token/replication", "{\"Token\":\"unused\"}", [(Perm.AgentWrite, N)], ok: 200, write: true),
        Gate("PUT", "/v1/agent/force-leave/{**node}", "/v1/agent/force-leave/nobody", null, [(Perm.OperatorWrite, "")], write: true),

        // ---- sessions ----
        List("/v1/session/list", "/v1/session/list", Array(j => (string)j["Node"]!), n => [(Perm.SessionRead, n)]),
        List("/v1/session/node/{**node}", "/v1/session/node/" + N, Array(j => (string)j["Node"]!), n => [(Perm.SessionRead, n)]),
        List("/v1/session/info/{**id}", "/v1/session/info/{session}", Array(j => (string)j["Node"]!), n => [(Perm.SessionRead, n)]),
        Gate("PUT", "/v1/session/create", "/v1/session/create", "{}", [(Perm.SessionWrite, N)], ok: 200, write: true),
        Gate("PUT", "/v1/session/renew/{**id}", "/v1/session/renew/{session}", null, [(Perm.SessionWrite, N)], ok: 200, write: true),
        Gate("PUT", "/v1/session/destroy/{**id}", "/v1/session/destroy/{scratch}", null, [(Perm.SessionWrite, N)], ok: 200, write: true,
            reset: NewScratchSession),

        // ---- events ----
        List("/v1/event/list", "/v1/event/list", Array(j => (string)j["Name"]!), e => [(Perm.EventRead, e)]),
        Gate("PUT", "/v1/event/fire/{**name}", "/v1/event/fire/deploy", null, [(Perm.EventWrite, "deploy")], ok: 200, write: true,
            deniedText: (_, _, _) => "Permission denied"),
        Gate("PUT", "/v1/event/fire/{**name}", "/v1/event/fire/pub-w", null, [(Perm.EventWrite, "pub-w")], ok: 200, write: true,
            deniedText: (_, _, _) => "Permission denied"),

        // ---- transactions ----
        TxnRead(),
        TxnWrite("app/t", """[{"KV":{"Verb":"set","Key":"app/t","Value":"eA=="}}]""", Perm.KeyWrite, "app/t"),
        TxnWrite("secret/t", """[{"KV":{"Verb":"set","Key":"secret/t","Value":"eA=="}}]""", Perm.KeyWrite, "secret/t"),
        TxnWrite("check-index public/info", """[{"KV":{"Verb":"check-index","Key":"public/info","Index":0}}]""", Perm.KeyRead, "public/info", okStatus: 409),
        TxnWrite("node w-node", """[{"Node":{"Verb":"set","Node":{"Node":"w-node","Address":"127.0.0.9"}}}]""", Perm.NodeWrite, "w-node"),
        TxnWrite("service pub-t", """[{"Service":{"Verb":"set","Node":"ext-node","Service":{"ID":"pub-t","Service":"pub-t"}}}]""", Perm.ServiceWrite, "pub-t"),
        TxnWrite("check on ext-node", """[{"Check":{"Verb":"set","Check":{"Node":"ext-node","CheckID":"t-check","Name":"t","Status":"passing"}}}]""", Perm.NodeWrite, "ext-node"),

        // ---- prepared queries (every denial is Consul's bare "Permission denied") ----
        List("/v1/query", "/v1/query", Array(j => (string)j["Name"]!), n => [(Perm.QueryRead, n)]),
        Gate("GET", "/v1/query/{id}", "/v1/query/{query}", null, [(Perm.QueryRead, "q-one")], ok: 200, deniedText: Bare),
        Gate("GET", "/v1/query/{id}/explain", "/v1/query/q-one/explain", null, [(Perm.QueryRead, "q-one")], ok: 200, deniedText: Bare),
        // Executing needs no query permission; results are filtered like health/service (without the header).
        List("/v1/query/{id}/execute", "/v1/query/q-one/execute", ExecutedEntries, EntryNeeds, filteredHeader: false),
        Gate("POST", "/v1/query", "/v1/query", """{"Name":"q-new","Service":{"Service":"web"}}""", [(Perm.QueryWrite, "q-new")], ok: 200, write: true,
            reset: a => DropQuery(a, "q-new"), deniedText: Bare),
        Gate("PUT", "/v1/query/{id}", "/v1/query/{query}", """{"Name":"q-one","Service":{"Service":"web"}}""", [(Perm.QueryWrite, "q-one")], ok: 200, write: true,
            deniedText: Bare),
        Gate("DELETE", "/v1/query/{id}", "/v1/query/{scratchquery}", null, [(Perm.QueryWrite, "q-del")], ok: 200, write: true,
            reset: NewScratchQuery, deniedText: Bare),

        // ---- operator ----
        Gate("GET", "/v1/operator/raft/configuration", "/v1/operator/raft/configuration", null, [(Perm.OperatorRead, "")], ok: 200),
        Gate("GET", "/v1/operator/autopilot/configuration", "/v1/operator/autopilot/configuration", null, [(Perm.OperatorRead, "")], ok: 200),
        Gate("GET", "/v1/operator/autopilot/health", "/v1/operator/autopilot/health", null, [(Perm.OperatorRead, "")]),
        Gate("DELETE", "/v1/operator/raft/peer", "/v1/operator/raft/peer?address=127.0.0.9:8300", null, [(Perm.OperatorWrite, "")], write: true),
        Gate("POST", "/v1/operator/raft/transfer-leader", "/v1/operator/raft/transfer-leader", null, [(Perm.OperatorWrite, "")], write: true,
            deniedText: (c, p, n) => "rpc error: code = Unknown desc = " + Denied(c, p, n)),
    ];

    // ---- row kinds ----

    private static MatrixRow Open(string method, string route, string url) =>
        new(method, route, url, false, async (run, row, caller) =>
        {
            var r = await run.Agent.Send(caller, method, url);
            run.Expect(r.StatusCode == HttpStatusCode.OK, caller, row, $"open endpoint answered {(int)r.StatusCode}");
            run.Expect(!r.Headers.Contains("X-Consul-Results-Filtered-By-ACLs"), caller, row, "filtered header on an open endpoint");
        });

    /// <summary>
    /// A request Consul allows only with every listed permission: the first one missing is
    /// the exact 403 text; otherwise the status is <paramref name="ok"/> (or management's).
    /// </summary>
    private static MatrixRow Gate(string method, string route, string url, string? body, (Perm Perm, string Name)[] needs,
        int? ok = null, bool write = false, Func<AclTestAgent, Task>? reset = null, bool deniedOnly = false,
        Func<Caller, Perm, string, string>? deniedText = null) =>
        new(method, route, url, write, async (run, row, caller) =>
        {
            var missing = needs.Cast<(Perm Perm, string Name)?>().FirstOrDefault(n => !Can(run.Policy, caller, n!.Value.Perm, n.Value.Name));
            if (missing is null && deniedOnly) return;
            var target = await Target(run.Agent, url, reset);
            var expectedOk = ok;
            if (missing is null && expectedOk is null)
            {
                var baseline = await run.Agent.Send(Caller.Mgmt, method, target, body);
                expectedOk = (int)baseline.StatusCode;
                target = await Target(run.Agent, url, reset);
            }
            var r = await run.Agent.Send(caller, method, target, body);
            var text = await r.Content.ReadAsStringAsync();
            if (missing is { } m)
            {
                var want = deniedText is null ? Denied(caller, m.Perm, m.Name) : deniedText(caller, m.Perm, m.Name);
                run.Expect((int)r.StatusCode == 403 && text == want, caller, row, $"want 403 '{want}', got {(int)r.StatusCode} '{Short(text)}'");
            }
            else
            {
                run.Expect((int)r.StatusCode == expectedOk, caller, row, $"want {expectedOk}, got {(int)r.StatusCode} '{Short(text)}'");
            }
        });

    /// <summary>A listing: the caller sees the management view minus what it may not read.</summary>
    private static MatrixRow List(string route, string url, Func<JsonNode?, List<string>> items, Func<string, (Perm, string)[]> needs,
        int? emptyStatus = null, bool filteredHeader = true) =>
        new("GET", route, url, false, async (run, row, caller) =>
        {
            var target = await Target(run.Agent, url, null);
            var all = await Items(run.Agent, Caller.Mgmt, target, items);
            if (all.Count == 0) run.Failures.Add($"[{run.Policy}] {row.Url}: the management view is empty, the row proves nothing");
            var want = all.Where(i => needs(i).All(n => Can(run.Policy, caller, n.Item1, n.Item2))).Order(StringComparer.Ordinal).ToList();
            var r = await run.Agent.Send(caller, "GET", target);
            var text = await r.Content.ReadAsStringAsync();
            if (want.Count == 0 && emptyStatus is { } empty)
            {
                run.Expect((int)r.StatusCode == empty, caller, row, $"want {empty} for an empty view, got {(int)r.StatusCode} '{Short(text)}'");
            }
            else
            {
                run.Expect(r.StatusCode == HttpStatusCode.OK, caller, row, $"want 200, got {(int)r.StatusCode} '{Short(text)}'");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    var got = items(JsonNode.Parse(text)).Order(StringComparer.Ordinal).ToList();
                    run.Expect(got.SequenceEqual(want), caller, row, $"want [{string.Join(",", want)}], got [{string.Join(",", got)}]");
                }
            }
            ExpectFilteredHeader(run, row, caller, r, removed: filteredHeader && want.Count < all.Count);
        });

    /// <summary>catalog/node and node-services: a node the token cannot read answers as absent (null).</summary>
    private static MatrixRow NodeObject(string route, string url, bool listed) =>
        new("GET", route, url, false, async (run, row, caller) =>
        {
            var node = url[(url.LastIndexOf('/') + 1)..];
            var services = (JsonNode? body) =>
            {
                var s = body?["Services"];
                if (s is null) return new List<string>();
                return listed ? s.AsArray().Select(x => (string)x!["Service"]!).ToList() : s.AsObject().Select(x => (string)x.Value!["Service"]!).ToList();
            };
            var mgmt = JsonNode.Parse(await (await run.Agent.Send(Caller.Mgmt, "GET", url)).Content.ReadAsStringAsync());
            var all = services(mgmt);
            var r = await run.Agent.Send(caller, "GET", url);
            var text = await r.Content.ReadAsStringAsync();
            run.Expect(r.StatusCode == HttpStatusCode.OK, caller, row, $"want 200, got {(int)r.StatusCode}");
            var body = JsonNode.Parse(text);
            if (!Can(run.Policy, caller, Perm.NodeRead, node))
            {
                run.Expect(body is null, caller, row, $"a node without node:read must look absent, got '{Short(text)}'");
                ExpectFilteredHeader(run, row, caller, r, removed: true);
                return;
            }
            var want = all.Where(s => Can(run.Policy, caller, Perm.ServiceRead, s)).Order(StringComparer.Ordinal).ToList();
            var got = services(body).Order(StringComparer.Ordinal).ToList();
            run.Expect((string?)body?["Node"]?["Node"] == node, caller, row, "node missing");
            run.Expect(got.SequenceEqual(want), caller, row, $"want [{string.Join(",", want)}], got [{string.Join(",", got)}]");
            ExpectFilteredHeader(run, row, caller, r, removed: want.Count < all.Count);
        });

    private static MatrixRow TxnRead() =>
        new("PUT", "/v1/txn", "/v1/txn (read-only)", false, async (run, row, caller) =>
        {
            const string ops = """[{"KV":{"Verb":"get","Key":"app/config"}},{"KV":{"Verb":"get","Key":"public/info"}},{"KV":{"Verb":"get","Key":"secret/key"}},{"KV":{"Verb":"get-tree","Key":"app/"}}]""";
            static List<string> Keys(JsonNode? b) => b!["Results"]!.AsArray().Select(x => (string)x!["KV"]!["Key"]!).ToList();
            var baseline = await (await run.Agent.Send(Caller.Mgmt, "PUT", "/v1/txn", ops)).Content.ReadAsStringAsync();
            if (JsonNode.Parse(baseline)?["Results"] is null)
            {
                run.Failures.Add($"[{run.Policy}] {row.Url}: management answer has no results: {Short(baseline)}");
                return;
            }
            var all = Keys(JsonNode.Parse(baseline));
            var want = all.Where(k => Can(run.Policy, caller, Perm.KeyRead, k)).ToList();
            var r = await run.Agent.Send(caller, "PUT", "/v1/txn", ops);
            var text = await r.Content.ReadAsStringAsync();
            run.Expect(r.StatusCode == HttpStatusCode.OK, caller, row, $"want 200, got {(int)r.StatusCode} '{Short(text)}'");
            if (r.StatusCode == HttpStatusCode.OK)
            {
                var got = Keys(JsonNode.Parse(text));
                run.Expect(got.SequenceEqual(want), caller, row, $"want [{string.Join(",", want)}], got [{string.Join(",", got)}]");
            }
            ExpectFilteredHeader(run, row, caller, r, removed: want.Count < all.Count);
        });

    /// <summary>A write txn: a refused op fails the whole txn with 409 and the denial as the op's error.</summary>
    /// <summary>
    /// A txn with one vetted op: allowed, it answers <paramref name="okStatus"/>; refused, the whole
    /// txn fails with 409 and the denial as the op's error.
    /// </summary>
    private static MatrixRow TxnWrite(string label, string ops, Perm perm, string name, int okStatus = 200) =>
        new("PUT", "/v1/txn", "/v1/txn (" + label + ")", true, async (run, row, caller) =>
        {
            var r = await run.Agent.Send(caller, "PUT", "/v1/txn", ops);
            var text = await r.Content.ReadAsStringAsync();
            if (Can(run.Policy, caller, perm, name))
            {
                run.Expect((int)r.StatusCode == okStatus && !text.Contains("Permission denied"), caller, row, $"want {okStatus}, got {(int)r.StatusCode} '{Short(text)}'");
                return;
            }
            var want = Denied(caller, perm, name);
            if ((int)r.StatusCode != 409)
            {
                run.Expect(false, caller, row, $"want 409 with '{want}', got {(int)r.StatusCode} '{Short(text)}'");
                return;
            }
            var errors = JsonNode.Parse(text)?["Errors"]?.AsArray();
            var what = (string?)errors?[0]?["What"];
            run.Expect((int)r.StatusCode == 409 && errors!.Count == 1 && what == want, caller, row, $"want 409 with '{want}', got {(int)r.StatusCode} '{Short(text)}'");
        });

    // ---- helpers ----

    private static void ExpectFilteredHeader(MatrixRun run, MatrixRow row, Caller caller, HttpResponseMessage r, bool removed)
    {
        // Consul shows the header only to callers that presented a token (maskResultsFilteredByACLs).
        var want = removed && HasToken(caller);
        var got = r.Headers.TryGetValues("X-Consul-Results-Filtered-By-ACLs", out var v) && v.Single() == "true";
        run.Expect(got == want, caller, row, $"X-Consul-Results-Filtered-By-ACLs {(want ? "missing" : "unexpected")}");
    }

    private static async Task<List<string>> Items(AclTestAgent agent, Caller caller, string url, Func<JsonNode?, List<string>> items)
    {
        var r = await agent.Send(caller, "GET", url);
        if (r.StatusCode == HttpStatusCode.NotFound) return [];
        return items(JsonNode.Parse(await r.Content.ReadAsStringAsync()));
    }

    /// <summary>Runs the reset and fills {session} / {scratch} in the URL.</summary>
    private static async Task<string> Target(AclTestAgent agent, string url, Func<AclTestAgent, Task>? reset)
    {
        if (reset is not null) await reset(agent);
        return url.Replace("{session}", agent.SessionId).Replace("{scratch}", agent.ScratchSession)
            .Replace("{query}", agent.QueryId).Replace("{scratchquery}", agent.ScratchQuery);
    }

    private static string ExtNodeWith(string service) =>
        $$$"""{"Node":"ext-node","Address":"127.0.0.2","Service":{"ID":"db1","Service":"{{{service}}}","Port":5432}}""";

    private static Task RestoreDb1(AclTestAgent a) => a.MustSucceed("PUT", "/v1/catalog/register", ExtNodeWith("db"));

    private static Task DropWNode(AclTestAgent a) => a.MustSucceed("PUT", "/v1/catalog/deregister", """{"Node":"w-node"}""");

    private static async Task NewScratchSession(AclTestAgent a) =>
        a.ScratchSession = (string)JsonNode.Parse(await a.MustSucceed("PUT", "/v1/session/create", "{}"))!["ID"]!;

    private static string Bare(Caller caller, Perm perm, string name) => "Permission denied";

    private static async Task DropQuery(AclTestAgent a, string name)
    {
        var q = a.Host.Service<Consul.Core.State.StateStore>().Current.PreparedQueries.Values.FirstOrDefault(q => q.Name == name);
        if (q is not null) await a.MustSucceed("DELETE", "/v1/query/" + q.ID, null);
    }

    private static async Task NewScratchQuery(AclTestAgent a)
    {
        await DropQuery(a, "q-del");
        a.ScratchQuery = (string)JsonNode.Parse(await a.MustSucceed("POST", "/v1/query", """{"Name":"q-del","Service":{"Service":"web"}}"""))!["ID"]!;
    }

    private static List<string> ExecutedEntries(JsonNode? body) =>
        body?["Nodes"] is JsonArray nodes ? nodes.Select(x => (string)x!["Node"]!["Node"]! + "|" + (string)x["Service"]!["Service"]!).ToList() : [];

    private static Task Ignore(AclTestAgent a, string method, string url) => a.Send(Caller.Mgmt, method, url);

    private static Func<JsonNode?, List<string>> Array(Func<JsonNode, string> pick) =>
        body => body is null ? [] : body.AsArray().Select(x => pick(x!)).ToList();

    private static Func<JsonNode?, List<string>> Values(Func<JsonNode, string> pick) =>
        body => body is null ? [] : body.AsObject().Select(x => pick(x.Value!)).ToList();

    private static List<string> Keys(JsonNode? body) => body is null ? [] : body.AsObject().Select(x => x.Key).ToList();

    private static List<string> Strings(JsonNode? body) => body is null ? [] : body.AsArray().Select(x => (string)x!).ToList();

    private static List<string> CheckItems(JsonNode? body) =>
        body is null ? [] : body.AsArray().Select(x => (string)x!["Node"]! + "|" + (string)x["ServiceName"]!).ToList();

    /// <summary>filterHealthChecks: node:read, and service:read for a service check.</summary>
    private static (Perm, string)[] CheckNeeds(string item)
    {
        var (node, service) = Split(item);
        return service == "" ? [(Perm.NodeRead, node)] : [(Perm.NodeRead, node), (Perm.ServiceRead, service)];
    }

    private static (Perm, string)[] EntryNeeds(string item)
    {
        var (node, service) = Split(item);
        return [(Perm.NodeRead, node), (Perm.ServiceRead, service)];
    }

    private static (string, string) Split(string item)
    {
        var bar = item.IndexOf('|');
        return (item[..bar], item[(bar + 1)..]);
    }

    private static string Short(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
