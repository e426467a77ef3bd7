using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Tests.State;

public class SessionAndLockTests
{
    [Fact]
    public void AcquireIncrementsLockIndexAndSecondSessionIsRefused()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1");
        var b = f.Session("n1");

        Assert.Equal(true, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "leader", Value = StateFixture.Bytes("a"), Session = a })).Value);
        var held = f.Snap.KV["leader"];
        Assert.Equal(1UL, held.LockIndex);
        Assert.Equal(a, held.Session);

        Assert.Equal(false, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "leader", Session = b })).Value);
        // Re-acquiring by the holder keeps the LockIndex.
        Assert.Equal(true, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "leader", Session = a })).Value);
        Assert.Equal(1UL, f.Snap.KV["leader"].LockIndex);

        Assert.Equal(false, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Unlock, Key = "leader", Session = b })).Value);
        Assert.Equal(true, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Unlock, Key = "leader", Session = a })).Value);
        Assert.Null(f.Snap.KV["leader"].Session);

        Assert.Equal(true, StateFixture.Ok(f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "leader", Session = b })).Value);
        Assert.Equal(2UL, f.Snap.KV["leader"].LockIndex);
    }

    [Fact]
    public void PlainSetKeepsTheLockHolder()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1");
        f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "k", Session = a });
        f.Apply(new KVCommand { Verb = KVOps.Set, Key = "k", Value = StateFixture.Bytes("v2") });
        Assert.Equal(a, f.Snap.KV["k"].Session);
        Assert.Equal(1UL, f.Snap.KV["k"].LockIndex);
    }

    [Fact]
    public void AcquireWithUnknownSessionIsAnError()
    {
        var f = new StateFixture();
        var r = f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "k", Session = "nope" });
        Assert.Equal("Invalid session \"nope\"", r.Error);
        Assert.False(f.Snap.KV.ContainsKey("k"));
    }

    [Fact]
    public void DestroyReleasesLocksAndStartsLockDelay()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1", lockDelayNs: 10_000_000_000);
        f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "k", Session = a });
        StateFixture.Ok(f.Apply(new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = a } }));

        Assert.False(f.Snap.Sessions.ContainsKey(a));
        Assert.Null(f.Snap.KV["k"].Session);
        Assert.NotNull(f.Fsm.LockDelays.DelayedUntil("k"));
        f.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Null(f.Fsm.LockDelays.DelayedUntil("k"));
    }

    [Fact]
    public void DeleteBehaviorDeletesHeldKeys()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1", behavior: SessionBehavior.Delete);
        f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "k", Session = a });
        f.Apply(new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = a } });
        Assert.False(f.Snap.KV.ContainsKey("k"));
        Assert.True(f.Snap.Tombstones.ContainsKey("k"));
    }

    [Fact]
    public void CriticalCheckInvalidatesSession()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1");
        f.Apply(new KVCommand { Verb = KVOps.Lock, Key = "k", Session = a });
        f.Apply(new RegisterCommand
        {
            Node = "n1", Address = "10.0.0.1", SkipNodeUpdate = true,
            Check = new HealthCheck { CheckID = "serfHealth", Name = "Serf Health Status", Status = HealthStatus.Critical },
        });
        Assert.False(f.Snap.Sessions.ContainsKey(a));
        Assert.Null(f.Snap.KV["k"].Session);
    }

    [Fact]
    public void NodeDeregistrationInvalidatesItsSessions()
    {
        var f = new StateFixture();
        f.Node("n1");
        var a = f.Session("n1");
        f.Apply(new DeregisterCommand { Node = "n1" });
        Assert.False(f.Snap.Sessions.ContainsKey(a));
    }

    [Fact]
    public void SessionCreationNeedsNodeAndHealthyChecks()
    {
        var f = new StateFixture();
        Assert.Equal("Missing node registration", f.Apply(new SessionCommand { Session = new Session { ID = "x", Node = "ghost", NodeChecks = [] } }).Error);
        f.Node("n1");
        Assert.Equal("Missing check 'web' registration",
            f.Apply(new SessionCommand { Session = new Session { ID = "x", Node = "n1", NodeChecks = ["web"] } }).Error);
        f.Apply(new RegisterCommand
        {
            Node = "n1", Address = "10.0.0.1", SkipNodeUpdate = true,
            Check = new HealthCheck { CheckID = "disk", Name = "disk", Status = HealthStatus.Critical },
        });
        Assert.Equal("Check 'disk' is in critical state",
            f.Apply(new SessionCommand { Session = new Session { ID = "x", Node = "n1", NodeChecks = ["disk"] } }).Error);
    }
}
