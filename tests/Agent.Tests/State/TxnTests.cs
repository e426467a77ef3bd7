using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Tests.State;

public class TxnTests
{
    private static TxnOp KV(string verb, string key, string? value = null, ulong index = 0, string? session = null) =>
        new() { KV = new TxnKVOp(verb, key, 0, value is null ? null : StateFixture.Bytes(value), index, session) };

    [Fact]
    public void AllOperationsApplyTogether()
    {
        var f = new StateFixture();
        var r = StateFixture.Ok(f.Apply(new TxnCommand { Ops = [KV("set", "a", "1"), KV("set", "b", "2"), KV("get", "a")] }));
        var outcome = Assert.IsType<TxnOutcome>(r.Value);
        Assert.Null(outcome.Errors);
        Assert.Equal(3, outcome.Results!.Count);
        Assert.Null(outcome.Results[0].KV!.Value); // write results carry no value
        Assert.Equal("1", System.Text.Encoding.UTF8.GetString(outcome.Results[2].KV!.Value!));
        Assert.Equal(r.Index, f.Snap.KV["a"].ModifyIndex);
        Assert.Equal(r.Index, f.Snap.KV["b"].ModifyIndex);
    }

    [Fact]
    public void AnyFailureRollsEverythingBack()
    {
        var f = new StateFixture();
        StateFixture.Ok(f.Apply(new KVCommand { Key = "a", Value = StateFixture.Bytes("0") }));
        var before = f.Snap;
        var r = f.Apply(new TxnCommand { Ops = [KV("set", "a", "1"), KV("cas", "b", "x", index: 99), KV("check-not-exists", "a")] });
        var outcome = Assert.IsType<TxnOutcome>(r.Value);
        Assert.Null(outcome.Results);
        Assert.Equal([1, 2], outcome.Errors!.Select(e => e.OpIndex));
        Assert.Equal("failed to set key \"b\", index is stale", outcome.Errors![0].What);
        Assert.Equal("key \"a\" exists", outcome.Errors[1].What);
        Assert.Same(before, f.Snap);
    }

    [Fact]
    public void ChecksAndTreeReads()
    {
        var f = new StateFixture();
        f.Apply(new TxnCommand { Ops = [KV("set", "app/x", "1"), KV("set", "app/y", "2")] });
        var modify = f.Snap.KV["app/x"].ModifyIndex;
        var ok = StateMachine.Evaluate(f.Snap, new TxnCommand { Ops = [KV("check-index", "app/x", index: modify), KV("get-tree", "app/")] });
        Assert.Null(ok.Errors);
        Assert.Equal(3, ok.Results!.Count);
        var bad = StateMachine.Evaluate(f.Snap, new TxnCommand { Ops = [KV("check-index", "app/x", index: modify + 5), KV("get", "nope")] });
        Assert.Equal($"current modify index {modify} != {modify + 5}", bad.Errors![0].What);
        Assert.Equal("key \"nope\" doesn't exist", bad.Errors[1].What);
    }

    [Fact]
    public void LockVerbsInTransactions()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1");
        var b = f.Session("n1");
        StateFixture.Ok(f.Apply(new TxnCommand { Ops = [KV("lock", "l", "v", session: a)] }));
        var r = f.Apply(new TxnCommand { Ops = [KV("lock", "l", "v", session: b)] });
        Assert.Equal("failed to lock key \"l\", lock is already held", ((TxnOutcome)r.Value!).Errors![0].What);
        var check = StateMachine.Evaluate(f.Snap, new TxnCommand { Ops = [KV("check-session", "l", session: b)] });
        Assert.Equal($"failed session check for key \"l\", current session \"{a}\" != \"{b}\"", check.Errors![0].What);
    }

    [Fact]
    public void CatalogOperations()
    {
        var f = new StateFixture();
        var r = StateFixture.Ok(f.Apply(new TxnCommand
        {
            Ops =
            [
                new TxnOp { Node = new TxnNodeOp("set", new Node { Name = "n2", Address = "10.0.0.2" }) },
                new TxnOp { Service = new TxnServiceOp("set", "n2", new NodeService { Service = "db", Port = 5432 }) },
                new TxnOp { Check = new TxnCheckOp("set", new HealthCheck { Node = "n2", CheckID = "db-alive", Name = "db", ServiceID = "db", Status = HealthStatus.Passing }) },
            ],
        }));
        Assert.Null(((TxnOutcome)r.Value!).Errors);
        Assert.Equal("db", f.Snap.Checks["n2"]["db-alive"].ServiceName);
        Assert.Single(f.Snap.Instances("db"));
    }
}
