using System.Buffers.Binary;
using System.Collections;
using System.Collections.Immutable;
using System.IO.Hashing;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Core.State;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Cluster;

public sealed class StateSnapshotCodecTests
{
    [Fact]
    public void Rich_state_built_by_real_applies_round_trips_exactly()
    {
        var fsm = RichState.NewMachine();
        RichState.ApplyAll(fsm, RichState.Script());
        var original = fsm.Store.Current;

        var bytes = StateSnapshotCodec.ToBytes(original);
        var restored = StateSnapshotCodec.FromBytes(bytes);

        DeepCompare.AssertEqual(original, restored);
        Assert.Equal(bytes, StateSnapshotCodec.ToBytes(restored));
        RichState.AssertSameReads(original, restored);
    }

    [Fact]
    public void Rich_state_covers_every_table()
    {
        // Guards the round-trip test above: it is only as good as the state it builds.
        var fsm = RichState.NewMachine();
        RichState.ApplyAll(fsm, RichState.Script());
        var s = fsm.Store.Current;
        Assert.True(s.Nodes.Count >= 3);
        Assert.Contains(s.Services.Values, v => v.Count == 0); // a node whose last service went away
        Assert.Contains(s.Services.Values.SelectMany(v => v.Values), v => v.Kind is not null && v.TaggedAddresses.Count > 0 && v.Weights.Passing != 1);
        Assert.Contains(s.Checks.Values.SelectMany(v => v.Values), c => c.ServiceTags.Count > 0 && c.Interval != "");
        Assert.True(s.ServiceNodes.Count >= 2);
        Assert.True(s.ServiceIndexes.Count >= 2);
        Assert.Contains(s.KV.Values, e => e.Session is not null && e.LockIndex > 0);
        Assert.Contains(s.KV.Values, e => e.Value is null);
        Assert.Contains(s.KV.Values, e => e.Value is { Length: 0 });
        Assert.Contains(s.KV.Values, e => e.Value is not null && e.Value.Contains((byte)0xff));
        Assert.True(s.Tombstones.Count >= 3);
        Assert.Contains(s.Sessions.Values, x => x.ServiceChecks is { Count: > 0 } && x.TTL != "");
        Assert.Equal(10, s.TableIndexes.Count);
        Assert.Contains(s.PreparedQueries.Values, q => q.IsTemplate && q.CreateIndex < q.ModifyIndex);
        Assert.Contains(s.PreparedQueries.Values, q => q.Service.Failover.Targets is { Count: 1 } && q.Service.NodeMeta is { Count: 1 });
        Assert.Equal(2, s.PreparedQueries.Count);
        Assert.True(s.AclTokens.Count >= 2 && s.AclPolicies.Count >= 2 && s.AclRoles.Count >= 1 && s.AclBootstrapIndex > 0);
        // A node re-registered in other casing: its services stay under the old key casing, which must survive.
        Assert.Contains(s.Services.Keys, k => !s.Nodes.Keys.Contains(k, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_field_of_every_stored_record_survives()
    {
        // Filled by reflection, so fields added to the model later are covered without edits here.
        var node = Filler.Make<Node>();
        var svc = Filler.Make<NodeService>();
        var check = Filler.Make<HealthCheck>();
        var kv = Filler.Make<KVEntry>();
        var session = Filler.Make<Session>();
        var s = new StateSnapshot
        {
            Nodes = new StateSnapshot().Nodes.Add("Key-Not-Name", node),
            Services = new StateSnapshot().Services.Add("n", ImmutableSortedDictionary.Create<string, NodeService>(StringComparer.Ordinal).Add("svc", svc)),
            Checks = new StateSnapshot().Checks.Add("n", ImmutableSortedDictionary.Create<string, HealthCheck>(StringComparer.Ordinal).Add("chk", check)),
            ServiceNodes = new StateSnapshot().ServiceNodes.Add("web", ImmutableSortedSet.Create(StateSnapshot.NodeOrder, "b", "A")),
            ServiceIndexes = new StateSnapshot().ServiceIndexes.Add("web", 9),
            KV = new StateSnapshot().KV.Add(kv.Key, kv),
            Tombstones = new StateSnapshot().Tombstones.Add("gone", 4),
            Sessions = new StateSnapshot().Sessions.Add(session.ID, session),
            TableIndexes = new StateSnapshot().TableIndexes.Add(Tables.KV, 11),
            LastIndex = 11,
        };
        DeepCompare.AssertEqual(s, StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(s)));
    }

    [Fact]
    public void Codec_document_has_a_field_for_every_snapshot_table()
    {
        var snapshot = typeof(StateSnapshot).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            // AclSecrets is an index derived from AclTokens, rebuilt when a snapshot is read.
            .Where(p => p.CanWrite && p.Name != nameof(StateSnapshot.AclSecrets)).Select(p => p.Name).Order();
        var document = typeof(SnapshotDocument).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.Name).Order();
        Assert.Equal(snapshot, document);
    }

    [Fact]
    public void No_stored_model_field_is_hidden_from_json()
    {
        // The codec stores records in their JSON form; a [JsonIgnore]d settable field would be lost.
        var types = Filler.ModelTypesReachableFrom(typeof(StateSnapshot)).ToList();
        Assert.Superset(new HashSet<Type> { typeof(Node), typeof(NodeService), typeof(Weights), typeof(ServiceAddress), typeof(HealthCheck),
            typeof(KVEntry), typeof(Session), typeof(SessionServiceCheck) }, types.ToHashSet());
        foreach (var type in types)
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var ignore = p.GetCustomAttribute<JsonIgnoreAttribute>();
            Assert.True(ignore is null || ignore.Condition != JsonIgnoreCondition.Always,
                $"{type.Name}.{p.Name} is [JsonIgnore]: the state snapshot codec would drop it");
        }
    }

    [Fact]
    public void Restored_tables_keep_their_comparers()
    {
        var fsm = RichState.NewMachine();
        RichState.ApplyAll(fsm, RichState.Script());
        var r = StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(fsm.Store.Current));
        Assert.Same(StateSnapshot.NodeOrder, r.Nodes.KeyComparer);
        Assert.Same(StateSnapshot.NodeOrder, r.Services.KeyComparer);
        Assert.Same(StateSnapshot.NodeOrder, r.Checks.KeyComparer);
        Assert.All(r.ServiceNodes.Values, set => Assert.Same(StateSnapshot.NodeOrder, set.KeyComparer));
        Assert.All(r.Services.Values, d => Assert.Same(StringComparer.Ordinal, d.KeyComparer));
        Assert.Same(StringComparer.Ordinal, r.KV.KeyComparer);
        Assert.Same(StringComparer.Ordinal, r.ServiceIndexes.KeyComparer);
        Assert.Same(StringComparer.Ordinal, r.TableIndexes.KeyComparer);
        // Case-insensitive node lookups still work after a restore.
        Assert.True(r.Nodes.ContainsKey("NODE-A"));
        Assert.NotEmpty(r.ServicesOn("node-c"));
    }

    [Fact]
    public void Same_content_gives_same_bytes_whatever_the_insertion_order()
    {
        var keys = Enumerable.Range(0, 50).Select(i => "svc-" + i).ToList();
        ImmutableDictionary<string, ulong> Build(IEnumerable<string> order) =>
            order.Aggregate(ImmutableDictionary.Create<string, ulong>(StringComparer.Ordinal), (d, k) => d.SetItem(k, (ulong)k.Length));
        var a = new StateSnapshot { ServiceIndexes = Build(keys), TableIndexes = Build(keys.AsEnumerable().Reverse()) };
        var b = new StateSnapshot { ServiceIndexes = Build(keys.AsEnumerable().Reverse()), TableIndexes = Build(keys) };
        Assert.Equal(StateSnapshotCodec.ToBytes(a), StateSnapshotCodec.ToBytes(b));
    }

    [Fact]
    public void Wrong_magic_is_refused()
    {
        var bytes = Sample();
        bytes[0] ^= 0x20;
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(bytes));
        Assert.Contains("not a Consul.Web state snapshot", e.Message);
    }

    [Fact]
    public void Unknown_version_is_refused_with_both_versions_named()
    {
        var bytes = Sample();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 7);
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(bytes));
        Assert.Equal("state snapshot: unsupported format version 7 (this agent reads version 1)", e.Message);
    }

    [Fact]
    public void Flipped_body_byte_fails_the_checksum()
    {
        var bytes = Sample();
        bytes[30] ^= 0x01;
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(bytes));
        Assert.Contains("checksum mismatch", e.Message);
    }

    [Fact]
    public void Truncated_streams_are_refused()
    {
        var bytes = Sample();
        foreach (var cut in new[] { 0, 5, 19, 40, bytes.Length - 1 })
        {
            var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.Read(new NonSeekable(bytes[..cut])));
            Assert.Contains("truncated", e.Message);
        }
        // A seekable stream is refused before allocating a body longer than what is left.
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(bytes[..40])).Message);
    }

    [Fact]
    public void Malformed_body_with_a_valid_checksum_is_refused()
    {
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(Frame("{\"Nodes\": [1, 2]}")));
        Assert.Contains("malformed body", e.Message);
    }

    [Fact]
    public void Node_keys_equal_under_the_node_comparer_are_refused()
    {
        var json = """{"Nodes":{"a":{"Node":"a"},"A":{"Node":"A"}}}""";
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshotCodec.FromBytes(Frame(json)));
        Assert.Contains("inconsistent tables", e.Message);
    }

    private static byte[] Sample()
    {
        var fsm = RichState.NewMachine();
        RichState.ApplyAll(fsm, RichState.Script().Take(6));
        return StateSnapshotCodec.ToBytes(fsm.Store.Current);
    }

    /// <summary>A well-formed frame around an arbitrary body, to reach the body parser.</summary>
    private static byte[] Frame(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var ms = new MemoryStream();
        ms.Write("CWSTATE\n"u8);
        var n = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(n, StateSnapshotCodec.CurrentVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(n.AsSpan(4), (ulong)body.Length);
        ms.Write(n);
        ms.Write(body);
        var h = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(h, XxHash64.HashToUInt64(body));
        ms.Write(h);
        return ms.ToArray();
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>A varied state built through real applies: every table, tombstones, locks, sessions, txns, rejections.</summary>
internal static class RichState
{
    public const string S1 = "0b6c1c5e-4a56-4d5e-9a62-0f0000000001";
    public const string S2 = "0b6c1c5e-4a56-4d5e-9a62-0f0000000002";
    public const string S3 = "0b6c1c5e-4a56-4d5e-9a62-0f0000000003";

    public static StateMachine NewMachine(TimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        return new StateMachine(new StateStore(), new EventStream(time), time);
    }

    /// <summary>Applies each command at the next index after the machine's last one.</summary>
    public static List<ApplyResult> ApplyAll(StateMachine fsm, IEnumerable<StateCommand> commands) =>
        commands.Select(c => fsm.Apply(fsm.AppliedIndex + 1, CommandCodec.Encode(c))).ToList();

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static IEnumerable<StateCommand> Script()
    {
        yield return new RegisterCommand
        {
            Node = "node-a", ID = "40e4a748-2192-161a-0510-9bf59fe950b5", Address = "10.0.0.1", Datacenter = "dc1",
            TaggedAddresses = new() { ["lan"] = "10.0.0.1", ["wan"] = "198.51.100.1" },
            NodeMeta = new() { ["rack"] = "r1", ["zone"] = "z" },
            Service = new NodeService
            {
                Kind = "connect-proxy", ID = "web-1", Service = "web", Tags = ["v1", "primary"], Address = "10.0.0.10",
                TaggedAddresses = new() { ["lan"] = new ServiceAddress { Address = "10.0.0.10", Port = 8080 } },
                Meta = new() { ["version"] = "1.2" }, Port = 8080, Weights = new Weights { Passing = 5, Warning = 2 }, EnableTagOverride = true,
            },
            Checks =
            [
                new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Passing },
                new HealthCheck
                {
                    CheckID = "web-http", Name = "web http", Status = HealthStatus.Warning, Notes = "n", Output = "HTTP 429",
                    ServiceID = "web-1", Type = "http", Interval = "10s", Timeout = "1s",
                },
            ],
        };
        yield return new RegisterCommand
        {
            Node = "Node-B", Address = "10.0.0.2", Datacenter = "dc1",
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Passing },
            Service = new NodeService { ID = "web-2", Service = "web", Port = 80, Tags = ["v2"] },
        };
        yield return new RegisterCommand { Node = "node-c", Address = "10.0.0.3", Service = new NodeService { Service = "db", Port = 5432 } };
        yield return new RegisterCommand { Node = "node-c", Address = "10.0.0.3", Service = new NodeService { ID = "cache", Service = "redis", Port = 6379 } };
        // Same node, other casing: the table key stays, the record takes the new name.
        yield return new RegisterCommand { Node = "NODE-B", Address = "10.0.0.22", Datacenter = "dc1", SkipNodeUpdate = false };
        yield return new DeregisterCommand { Node = "node-c", ServiceID = "cache" };
        yield return new RegisterCommand { Node = "node-d", Address = "10.0.0.4", Service = new NodeService { ID = "only", Service = "lonely" } };
        yield return new DeregisterCommand { Node = "node-d", ServiceID = "only" };
        yield return new RegisterCommand { Node = "ghost", Address = "10.0.0.9" };
        yield return new DeregisterCommand { Node = "ghost" };
        yield return new RegisterCommand { Service = new NodeService { Service = "x" } }; // rejected: no node

        yield return new KVCommand { Key = "app/config", Flags = 42, Value = [0, 1, 2, 0xff, 0xfe] };
        yield return new KVCommand { Key = "app/empty", Value = [] };
        yield return new KVCommand { Key = "app/null" };
        yield return new KVCommand { Key = "app/old", Value = Bytes("x") };
        yield return new KVCommand { Verb = KVOps.Delete, Key = "app/old" };
        yield return new KVCommand { Key = "tmp/a", Value = Bytes("1") };
        yield return new KVCommand { Key = "tmp/b", Value = Bytes("2") };
        yield return new KVCommand { Verb = KVOps.DeleteTree, Key = "tmp/" };
        yield return new KVCommand { Verb = KVOps.Cas, Key = "app/config", ModifyIndex = 1, Value = Bytes("stale") }; // fails: false
        yield return new KVCommand { Verb = KVOps.Cas, Key = "app/new", ModifyIndex = 0, Value = Bytes("fresh") };

        yield return new SessionCommand
        {
            Session = new Session
            {
                ID = S1, Name = "leader-election", Node = "node-a", TTL = "30s", LockDelay = 5_000_000_000, NodeChecks = ["serfHealth"],
                ServiceChecks = [new SessionServiceCheck { ID = "web-http", Namespace = "default" }],
            },
        };
        yield return new SessionCommand
        {
            Session = new Session
            {
                ID = S2, Node = "node-a", Behavior = SessionBehavior.Delete, TTL = "15s", NodeChecks = [],
                ServiceChecks = [new SessionServiceCheck { ID = "web-http", Namespace = "" }],
            },
        };
        yield return new SessionCommand { Session = new Session { ID = S3, Node = "Node-B", NodeChecks = ["serfHealth"] } };
        yield return new KVCommand { Verb = KVOps.Lock, Key = "locks/leader", Value = Bytes("a"), Session = S1 };
        yield return new KVCommand { Verb = KVOps.Lock, Key = "locks/ephemeral", Value = Bytes("e"), Session = S2 };
        yield return new KVCommand { Verb = KVOps.Lock, Key = "locks/b", Value = Bytes("b"), Session = S3 };
        yield return new KVCommand { Verb = KVOps.Lock, Key = "locks/leader", Value = Bytes("b"), Session = S3 }; // held: false
        yield return new KVCommand { Verb = KVOps.Lock, Key = "locks/cycle", Session = S1 };
        yield return new KVCommand { Verb = KVOps.Unlock, Key = "locks/cycle", Session = S1 };
        // Destroying S2 deletes what it holds (behavior delete) and starts a lock-delay.
        yield return new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = S2 } };
        // Node-B's serf check going critical invalidates S3 and releases locks/b.
        yield return new RegisterCommand
        {
            Node = "Node-B", SkipNodeUpdate = true,
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Critical, Output = "Agent not live" },
        };

        yield return new TxnCommand
        {
            Ops =
            [
                new TxnOp { KV = new TxnKVOp("set", "txn/one", 1, Bytes("1"), 0, null) },
                new TxnOp { KV = new TxnKVOp("cas", "txn/two", 0, Bytes("2"), 0, null) },
                new TxnOp { Node = new TxnNodeOp("set", new Node { Name = "node-e", Address = "10.0.0.5", Meta = new() { ["k"] = "v" } }) },
                new TxnOp { Service = new TxnServiceOp("set", "node-e", new NodeService { ID = "api-1", Service = "api", Tags = ["t"] }) },
                new TxnOp { Check = new TxnCheckOp("set", new HealthCheck { Node = "node-e", CheckID = "api-ttl", Name = "api", ServiceID = "api-1", Status = HealthStatus.Passing, Type = "ttl" }) },
                new TxnOp { KV = new TxnKVOp("get", "txn/one", 0, null, 0, null) },
            ],
        };
        // Rolled back as a whole.
        yield return new TxnCommand
        {
            Ops =
            [
                new TxnOp { KV = new TxnKVOp("set", "txn/never", 0, Bytes("x"), 0, null) },
                new TxnOp { KV = new TxnKVOp("check-not-exists", "txn/one", 0, null, 0, null) },
            ],
        };
        yield return new TxnCommand { Ops = [new TxnOp { KV = new TxnKVOp("delete", "txn/two", 0, null, 0, null) }] };

        // ACL tables: policies (one later deleted), a role, a bootstrap token and a rich token.
        yield return new AclCommand { Verb = AclCommand.PolicySet, Policy = Consul.Core.Acl.AclBuiltins.GlobalManagementPolicy };
        yield return new AclCommand { Verb = AclCommand.PolicySet, Policy = new Consul.Core.Acl.AclPolicy { ID = "p-web", Name = "web", Rules = "service \"web\" { policy = \"write\" }", Datacenters = ["dc1"] }.WithHash() };
        yield return new AclCommand { Verb = AclCommand.PolicySet, Policy = new Consul.Core.Acl.AclPolicy { ID = "p-gone", Name = "gone", Rules = "" } };
        yield return new AclCommand { Verb = AclCommand.RoleSet, Role = new Consul.Core.Acl.AclRole { ID = "r-ops", Name = "ops", Policies = [new() { ID = "p-web" }, new() { ID = "p-gone" }],
            NodeIdentities = [new() { NodeName = "node-a", Datacenter = "dc1" }] }.WithHash() };
        yield return new AclCommand { Verb = AclCommand.Bootstrap, Token = Consul.Core.Acl.AclBuiltins.BootstrapToken("a-boot", "s-boot", DateTimeOffset.Parse("2026-01-01T00:00:00Z")) };
        yield return new AclCommand
        {
            Verb = AclCommand.TokenSet,
            Token = new Consul.Core.Acl.AclToken
            {
                AccessorID = "a-rich", SecretID = "s-rich", Description = "rich", Local = true,
                Policies = [new() { ID = "p-web" }], Roles = [new() { ID = "r-ops" }],
                ServiceIdentities = [new() { ServiceName = "api", Datacenters = ["dc1"] }],
                CreateTime = DateTimeOffset.Parse("2026-01-01T00:00:00.123Z"), ExpirationTime = DateTimeOffset.Parse("2026-01-02T00:00:00Z"),
            }.WithHash(),
        };
        yield return new AclCommand { Verb = AclCommand.PolicyDelete, ID = "p-gone" };

        // Prepared queries: a full one, a template, one updated, one deleted, one removed with its session.
        yield return new PreparedQueryCommand
        {
            Query = new PreparedQuery
            {
                ID = "00000000-0000-0000-0000-00000000a001", Name = "web-query", Token = "s-rich",
                Service = new ServiceQuery
                {
                    Service = "web", OnlyPassing = true, Near = "_agent", Tags = ["v1", "!canary"], IgnoreCheckIDs = ["chk"],
                    NodeMeta = new() { ["rack"] = "a" }, ServiceMeta = new() { ["ver"] = "1" },
                    Failover = new QueryFailover { NearestN = 2, Datacenters = ["dc2"], Targets = [new() { Datacenter = "dc3" }] },
                },
                DNS = new QueryDns { TTL = "10s" },
            },
        };
        yield return new PreparedQueryCommand
        {
            Query = new PreparedQuery
            {
                ID = "00000000-0000-0000-0000-00000000a002", Name = "geo-",
                Template = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch, Regexp = "^geo-(.*)$", RemoveEmptyTags = true },
                Service = new ServiceQuery { Service = "${match(1)}" },
            },
        };
        yield return new PreparedQueryCommand { Verb = PreparedQueryCommand.Update, Query = new PreparedQuery { ID = "00000000-0000-0000-0000-00000000a002", Name = "geo-", Template = new QueryTemplate { Type = QueryTemplate.NamePrefixMatch }, Service = new ServiceQuery { Service = "${name.suffix}" } } };
        yield return new PreparedQueryCommand { Query = new PreparedQuery { ID = "00000000-0000-0000-0000-00000000a003", Name = "gone", Service = new ServiceQuery { Service = "db" } } };
        yield return new PreparedQueryCommand { Verb = PreparedQueryCommand.Delete, Query = new PreparedQuery { ID = "00000000-0000-0000-0000-00000000a003" } };
        yield return new PreparedQueryCommand { Query = new PreparedQuery { ID = "00000000-0000-0000-0000-00000000a004", Name = "web-query", Service = new ServiceQuery { Service = "db" } } }; // rejected: name taken
    }

    /// <summary>Every read the HTTP API answers from, compared by index, fingerprint and value.</summary>
    public static void AssertSameReads(StateSnapshot a, StateSnapshot b)
    {
        var reads = new Func<StateSnapshot, object>[]
        {
            s => CatalogReads.Nodes(s),
            s => CatalogReads.Services(s),
            s => CatalogReads.ServiceInstances(s, "web", withChecks: true),
            s => CatalogReads.ServiceInstances(s, "api", withChecks: false),
            s => CatalogReads.ServiceInstances(s, "lonely", withChecks: true),
            s => CatalogReads.NodeServices(s, "node-b"),
            s => AclReads.TokenBySecret(s, "s-rich")!,
            s => AclReads.Tokens(s).ToList(),
            s => AclReads.RoleByName(s, "ops")!,
            s => Consul.Core.Queries.PreparedQueryLookup.Resolve(s, "geo-web")!,
            s => s.PreparedQueries.Values.ToList(),
            s => CatalogReads.NodeChecks(s, "NODE-A"),
            s => CatalogReads.ServiceChecks(s, "web"),
            s => CatalogReads.ChecksInState(s, HealthStatus.Any),
            s => CatalogReads.ChecksInState(s, HealthStatus.Critical),
            s => KVReads.Get(s, "app/config"),
            s => KVReads.Get(s, "app/old"),
            s => KVReads.List(s, "app/"),
            s => KVReads.List(s, "tmp/"),
            s => KVReads.List(s, ""),
            s => KVReads.Keys(s, "", "/"),
            s => KVReads.Keys(s, "locks/", null),
            s => SessionReads.List(s),
            s => SessionReads.Get(s, S1),
            s => SessionReads.OnNode(s, "NODE-A"),
        };
        var options = new JsonSerializerOptions { IncludeFields = true };
        for (var i = 0; i < reads.Length; i++)
            Assert.Equal(JsonSerializer.Serialize(reads[i](a), options), JsonSerializer.Serialize(reads[i](b), options));
    }
}

/// <summary>
/// Structural comparison by reflection, independent of any JSON contract: records property by
/// property, collections element by element (sorted tables in order, keys compared ordinally),
/// and each collection's comparer.
/// </summary>
internal static class DeepCompare
{
    public static void AssertEqual(object? expected, object? actual) => Compare(expected, actual, "$");

    private static void Compare(object? e, object? a, string path)
    {
        if (e is null || a is null)
        {
            Assert.True(e is null && a is null, $"{path}: expected {e ?? "null"}, got {a ?? "null"}");
            return;
        }
        Assert.True(e.GetType() == a.GetType(), $"{path}: type {e.GetType()} vs {a.GetType()}");
        var type = e.GetType();
        if (type.IsPrimitive || type.IsEnum || e is string or decimal or DateTimeOffset or DateTime or TimeSpan or Guid)
        {
            Assert.True(Equals(e, a), $"{path}: expected '{e}', got '{a}'");
            return;
        }
        CompareComparer(e, a, path);
        switch (e)
        {
            case IDictionary de:
            {
                var da = (IDictionary)a;
                var ordered = type.Name.Contains("Sorted");
                var ke = Keys(de, ordered);
                var ka = Keys(da, ordered);
                Assert.True(ke.SequenceEqual(ka), $"{path}: keys [{string.Join(",", ke)}] vs [{string.Join(",", ka)}]");
                foreach (var k in ke) Compare(de[k], da[k], $"{path}[{k}]");
                return;
            }
            case IEnumerable ee:
            {
                var le = ee.Cast<object?>().ToList();
                var la = ((IEnumerable)a).Cast<object?>().ToList();
                Assert.True(le.Count == la.Count, $"{path}: {le.Count} items vs {la.Count}");
                for (var i = 0; i < le.Count; i++) Compare(le[i], la[i], $"{path}[{i}]");
                return;
            }
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
            Compare(p.GetValue(e), p.GetValue(a), $"{path}.{p.Name}");
    }

    private static List<string> Keys(IDictionary d, bool ordered)
    {
        var keys = d.Keys.Cast<object>().Select(k => (string)k).ToList();
        if (!ordered) keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static void CompareComparer(object e, object a, string path)
    {
        var p = e.GetType().GetProperty("KeyComparer") ?? e.GetType().GetProperty("Comparer");
        if (p is null || e is string) return;
        Assert.True(Equals(p.GetValue(e), p.GetValue(a)), $"{path}: comparer {p.GetValue(e)} vs {p.GetValue(a)}");
    }
}

/// <summary>Builds model records with every settable property set to a non-default value.</summary>
internal static class Filler
{
    private static bool IsModel(Type t) => t.Namespace?.StartsWith(typeof(Node).Namespace!, StringComparison.Ordinal) == true;

    public static T Make<T>() => (T)Make(typeof(T), typeof(T).Name, depth: 0)!;

    public static IEnumerable<Type> ModelTypesReachableFrom(Type root)
    {
        var model = new HashSet<Type>();
        var visited = new HashSet<Type>();
        var queue = new Queue<Type>([root]);
        while (queue.TryDequeue(out var t))
        {
            if (!visited.Add(t)) continue;
            foreach (var arg in t.IsGenericType ? t.GetGenericArguments() : []) queue.Enqueue(arg);
            if (t != root && !IsModel(t)) continue;
            if (t != root) model.Add(t);
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance)) queue.Enqueue(p.PropertyType);
        }
        return model;
    }

    private static object? Make(Type t, string hint, int depth)
    {
        if (depth > 6) throw new InvalidOperationException($"Filler: {hint} nests too deeply");
        var under = Nullable.GetUnderlyingType(t);
        if (under is not null) return Make(under, hint, depth);
        if (t == typeof(string)) return "v-" + hint;
        if (t == typeof(bool)) return true;
        if (t == typeof(int)) return 7;
        if (t == typeof(long)) return 70_000_000_000L;
        if (t == typeof(ulong)) return 77UL;
        if (t == typeof(uint)) return 17U;
        if (t == typeof(double)) return 1.5;
        if (t == typeof(float)) return 2.5f;
        if (t == typeof(TimeSpan)) return TimeSpan.FromSeconds(3);
        if (t == typeof(DateTimeOffset)) return DateTimeOffset.Parse("2026-02-03T04:05:06Z");
        if (t == typeof(Guid)) return Guid.Parse("11111111-2222-3333-4444-555555555555");
        if (t == typeof(byte[])) return new byte[] { 0, 1, 0xff };
        if (t.IsEnum) return Enum.GetValues(t).Cast<object>().Last();
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
        {
            var list = (IList)Activator.CreateInstance(t)!;
            list.Add(Make(t.GetGenericArguments()[0], hint + "0", depth + 1));
            list.Add(Make(t.GetGenericArguments()[0], hint + "1", depth + 1));
            return list;
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>) && t.GetGenericArguments()[0] == typeof(string))
        {
            var dict = (IDictionary)Activator.CreateInstance(t)!;
            dict["k1-" + hint] = Make(t.GetGenericArguments()[1], hint + "k1", depth + 1);
            dict["k0-" + hint] = Make(t.GetGenericArguments()[1], hint + "k0", depth + 1);
            return dict;
        }
        if (t.IsClass && IsModel(t) && t.GetConstructor(Type.EmptyTypes) is not null)
        {
            var o = Activator.CreateInstance(t)!;
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                p.SetValue(o, Make(p.PropertyType, p.Name, depth + 1));
            return o;
        }
        throw new InvalidOperationException($"Filler: no sample value for {t} ({hint}); teach it this type");
    }
}
