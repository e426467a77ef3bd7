using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.Queries;
using Consul.Core.State;
using Consul.Tests.Dns;

namespace Consul.Tests.PreparedQueries;

/// <summary>The replicated table's rules, name resolution, templates and execution filters.</summary>
public class PreparedQueryStateTests
{
    private const string Id1 = "11111111-1111-1111-1111-111111111111";
    private const string Id2 = "22222222-2222-2222-2222-222222222222";

    private static (StateMachine Fsm, Func<StateCommand, ApplyResult> Apply) Machine()
    {
        var fsm = new StateMachine(new StateStore(), new EventStream());
        ulong index = 0;
        return (fsm, c => fsm.Apply(++index, c));
    }

    private static PreparedQueryCommand Create(string id, string name, string service = "web", QueryTemplate? template = null, string session = "") =>
        new() { Query = new PreparedQuery { ID = id, Name = name, Session = session, Service = new ServiceQuery { Service = service }, Template = template ?? new() } };

    [Fact]
    public void Create_stores_the_query_with_indexes_and_update_keeps_CreateIndex()
    {
        var (fsm, apply) = Machine();
        var r = apply(Create(Id1, "web-q"));
        Assert.True(r.Ok);
        Assert.Equal(Id1, r.Value); // a plain value: it crosses the server RPC
        var updated = apply(new PreparedQueryCommand { Verb = PreparedQueryCommand.Update, Query = new PreparedQuery { ID = Id1, Name = "web-q", Service = new ServiceQuery { Service = "api" } } });
        Assert.True(updated.Ok);
        var q = fsm.Store.Current.PreparedQueries[Id1];
        Assert.Equal((1ul, 2ul, "api"), (q.CreateIndex, q.ModifyIndex, q.Service.Service));
        Assert.Equal(2ul, fsm.Store.Current.TableIndex(Tables.PreparedQueries));
    }

    [Fact]
    public void Names_are_unique_ignoring_case_and_may_not_alias_another_query_ID()
    {
        var (_, apply) = Machine();
        Assert.True(apply(Create(Id1, "web-q")).Ok);
        Assert.Equal("name 'WEB-Q' aliases an existing query name", apply(Create(Id2, "WEB-Q")).Error);
        Assert.Equal($"name '{Id1}' aliases an existing query ID", apply(Create(Id2, Id1)).Error);
    }

    [Fact]
    public void Only_one_template_may_have_an_empty_name()
    {
        var (_, apply) = Machine();
        var tpl = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch };
        Assert.True(apply(Create(Id1, "", template: tpl)).Ok);
        Assert.Equal("a query template with an empty name already exists", apply(Create(Id2, "", template: tpl)).Error);
    }

    [Fact]
    public void Templates_are_checked_when_stored()
    {
        var (_, apply) = Machine();
        Assert.Equal("Bad Template.Type 'nope'", apply(Create(Id1, "x", template: new QueryTemplate { Type = "nope" })).Error);
        Assert.StartsWith("Bad Regexp: ", apply(Create(Id1, "x", template: new QueryTemplate { Type = QueryTemplate.NamePrefixMatch, Regexp = "([a-z" })).Error);
    }

    [Fact]
    public void A_session_bound_query_needs_the_session_and_goes_away_with_it()
    {
        var catalog = DnsCatalog.Standard();
        Assert.Throws<InvalidOperationException>(() => catalog.Apply(Create(Id1, "", session: "33333333-3333-3333-3333-333333333333")));
        catalog.Apply(new SessionCommand { Session = new Session { ID = "33333333-3333-3333-3333-333333333333", Node = "node1" } });
        catalog.Apply(Create(Id1, "", session: "33333333-3333-3333-3333-333333333333"));
        Assert.True(catalog.Store.Current.PreparedQueries.ContainsKey(Id1));
        catalog.Apply(new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = "33333333-3333-3333-3333-333333333333" } });
        Assert.Empty(catalog.Store.Current.PreparedQueries);
    }

    [Fact]
    public void Delete_removes_and_is_idempotent()
    {
        var (fsm, apply) = Machine();
        apply(Create(Id1, "q"));
        Assert.Equal(true, apply(new PreparedQueryCommand { Verb = PreparedQueryCommand.Delete, Query = new PreparedQuery { ID = Id1 } }).Value);
        Assert.Equal(true, apply(new PreparedQueryCommand { Verb = PreparedQueryCommand.Delete, Query = new PreparedQuery { ID = Id1 } }).Value);
        Assert.Empty(fsm.Store.Current.PreparedQueries);
    }

    [Fact]
    public void Resolve_by_ID_then_exact_name_then_longest_template_prefix()
    {
        var (fsm, apply) = Machine();
        var tpl = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch };
        apply(Create(Id1, "", service: "catch-all", template: tpl));
        apply(Create(Id2, "geo-", service: "geo", template: tpl));
        apply(Create("44444444-4444-4444-4444-444444444444", "geo-db-exact", service: "exact"));
        apply(Create("55555555-5555-5555-5555-555555555555", "geo-db-", service: "longer", template: tpl));
        var s = fsm.Store.Current;
        Assert.Equal("geo", PreparedQueryLookup.Resolve(s, Id2)!.Service.Service);
        Assert.Equal("exact", PreparedQueryLookup.Resolve(s, "geo-db-exact")!.Service.Service);
        Assert.Equal("longer", PreparedQueryLookup.Resolve(s, "geo-db-other")!.Service.Service);
        Assert.Equal("geo", PreparedQueryLookup.Resolve(s, "geo-web")!.Service.Service);
        Assert.Equal("catch-all", PreparedQueryLookup.Resolve(s, "anything")!.Service.Service);
        Assert.Null(PreparedQueryLookup.Resolve(s, ""));
    }

    [Fact]
    public void Unknown_names_resolve_to_nothing_without_a_catch_all()
    {
        var (fsm, apply) = Machine();
        apply(Create(Id1, "web-q"));
        Assert.Null(PreparedQueryLookup.Resolve(fsm.Store.Current, "web"));
        Assert.Null(PreparedQueryLookup.Resolve(fsm.Store.Current, Id2));
    }

    [Fact]
    public void Templates_render_captures_and_name_parts()
    {
        var q = new PreparedQuery
        {
            Name = "geo-",
            Template = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch, Regexp = @"^geo-(\w+)-(\w+)$", RemoveEmptyTags = true },
            Service = new ServiceQuery { Service = "${match(1)}", Tags = ["${match(2)}", "${match(7)}", "${name.prefix}|${name.suffix}|${name.full}"] },
            DNS = new QueryDns { TTL = "${match(9)}5s" },
        };
        var r = QueryTemplates.Render(q, "geo-db-east");
        Assert.Equal("db", r.Service.Service);
        Assert.Equal(["east", "geo-|db-east|geo-db-east"], r.Service.Tags!);
        Assert.Equal("5s", r.DNS.TTL);
        // Without RemoveEmptyTags the empty capture stays.
        var kept = QueryTemplates.Render(q with { Template = q.Template with { RemoveEmptyTags = false } }, "geo-db-east");
        Assert.Equal(3, kept.Service.Tags!.Count);
    }

    [Fact]
    public void Execute_drops_critical_and_applies_OnlyPassing_and_IgnoreCheckIDs()
    {
        var s = DnsCatalog.Standard().Store.Current;
        Assert.Equal(["node1", "node2"], Nodes(Run(s, new ServiceQuery { Service = "web" })));
        Assert.Equal(["node1"], Nodes(Run(s, new ServiceQuery { Service = "web", OnlyPassing = true })));
        Assert.Equal(["node1", "node2", "node3"], Nodes(Run(s, new ServiceQuery { Service = "web", IgnoreCheckIDs = ["web3-check"] })));
    }

    [Fact]
    public void Execute_filters_tags_with_negation_ignoring_case_and_by_meta()
    {
        var s = DnsCatalog.Standard().Store.Current;
        Assert.Equal(["node1"], Nodes(Run(s, new ServiceQuery { Service = "web", Tags = ["PRIMARY"] })));
        Assert.Equal(["node2"], Nodes(Run(s, new ServiceQuery { Service = "web", Tags = ["v1", "!primary"] })));
        Assert.Equal(["node1"], Nodes(Run(s, new ServiceQuery { Service = "web", NodeMeta = new() { ["rack"] = "r1" } })));
        Assert.Empty(Run(s, new ServiceQuery { Service = "web", NodeMeta = new() { ["rack"] = "r2" } }).Nodes);
        Assert.Empty(Run(s, new ServiceQuery { Service = "web", ServiceMeta = new() { ["ver"] = "1" } }).Nodes);
    }

    [Fact]
    public void Execute_filters_by_ACL_limits_and_puts_the_near_node_first()
    {
        var s = DnsCatalog.Standard().Store.Current;
        var q = new PreparedQuery { Service = new ServiceQuery { Service = "db" }, DNS = new QueryDns { TTL = "3s" } };
        var all = PreparedQueryExecution.Execute(s, q, "dc1", (_, _) => true, new Random(7));
        Assert.Equal(20, all.Nodes.Count);
        Assert.Equal(("db", "dc1", 0, "3s"), (all.Service, all.Datacenter, all.Failovers, all.DNS.TTL));
        var visible = PreparedQueryExecution.Execute(s, q, "dc1", (n, _) => n.Name.EndsWith('1'), new Random(7));
        Assert.Equal(["db-1", "db-11"], Nodes(visible));
        for (var seed = 0; seed < 5; seed++)
        {
            var near = PreparedQueryExecution.Execute(s, q, "dc1", (_, _) => true, new Random(seed), nearNode: "db-4", limit: 3);
            Assert.Equal(3, near.Nodes.Count);
            // The near node is moved to the front only when the shuffle left it among the first ten.
            if (near.Nodes.Any(n => n.Node.Name == "db-4")) Assert.Equal("db-4", near.Nodes[0].Node.Name);
        }
    }

    [Fact]
    public void Commands_survive_the_log_codec()
    {
        var full = new PreparedQueryCommand
        {
            Verb = PreparedQueryCommand.Update,
            Query = new PreparedQuery
            {
                ID = Id1, Name = "n", Token = "t", Session = Id2,
                Template = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch, Regexp = "^(.*)$", RemoveEmptyTags = true },
                Service = new ServiceQuery
                {
                    Service = "web", OnlyPassing = true, Near = "_agent", Tags = ["a", "!b"], IgnoreCheckIDs = ["c"],
                    NodeMeta = new() { ["k"] = "v" }, ServiceMeta = new() { ["s"] = "m" },
                    Failover = new QueryFailover { NearestN = 1, Datacenters = ["dc2"], Targets = [new() { Peer = "p" }] },
                },
                DNS = new QueryDns { TTL = "1s" },
            },
        };
        var decoded = Assert.IsType<PreparedQueryCommand>(CommandCodec.Decode(CommandCodec.Encode(full)));
        Assert.Equal(CommandCodec.Encode(full), CommandCodec.Encode(decoded));
        Assert.Equal(["a", "!b"], decoded.Query.Service.Tags!);
        Assert.Equal("v", decoded.Query.Service.NodeMeta!["k"]);
        // A sparse query keeps its "" defaults (never null) through the codec.
        var sparse = Assert.IsType<PreparedQueryCommand>(CommandCodec.Decode(CommandCodec.Encode(Create(Id1, "x"))));
        Assert.Equal(("", "", "", ""), (sparse.Query.Token, sparse.Query.Template.Type, sparse.Query.DNS.TTL, sparse.Query.Service.Near));
    }

    private static QueryExecution Run(StateSnapshot s, ServiceQuery svc) =>
        PreparedQueryExecution.Execute(s, new PreparedQuery { Service = svc }, "dc1", (_, _) => true, new Random(1));

    private static List<string> Nodes(QueryExecution e) => e.Nodes.Select(n => n.Node.Name).Order(StringComparer.Ordinal).ToList();
}
