using Consul.Tests.EndToEnd;

namespace Consul.Tests.LockWatch;

/// <summary>
/// A SIGKILLed holder cannot release: its session lapses after 2×TTL (30s), then the
/// 15s lock-delay applies before the waiter gets in. Its own class (and agent) so this
/// slow case runs beside the others.
/// </summary>
public sealed class LockKillTakeoverTests(LockWatchAgentFixture fixture) : IClassFixture<LockWatchAgentFixture>
{
    [Fact(Timeout = 90000)]
    public async Task Killed_holder_loses_the_lock_after_session_expiry_and_lock_delay()
    {
        var marks = fixture.TempFile("marks");
        string Child(string who) => $"echo {who}-start $$ >> {marks}; while true; do sleep 0.1; done";
        await using var a = LockWatchProcess.Start(fixture.HttpAddr, "lock", "mutex/killed", Child("a"));
        await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Length == 1, TimeSpan.FromSeconds(20),
            () => $"a never started: {a.Stderr}");
        await using var b = LockWatchProcess.Start(fixture.HttpAddr, "lock", "mutex/killed", Child("b"));
        var orphan = int.Parse(LockWatchWait.Lines(marks)[0].Split(' ')[1]);
        try
        {
            a.Signal(SignalSender.SIGKILL);
            var killedAt = DateTime.UtcNow;
            await LockWatchWait.UntilAsync(() => LockWatchWait.Lines(marks).Length == 2, TimeSpan.FromSeconds(70),
                () => $"b never took over: {b.Stderr}");
            var waited = DateTime.UtcNow - killedAt;

            Assert.StartsWith("b-start", LockWatchWait.Lines(marks)[1]);
            // Not before the session could lapse (15s TTL) plus the lock-delay.
            Assert.True(waited > TimeSpan.FromSeconds(15), $"took over after only {waited}");
            b.Signal(SignalSender.SIGTERM);
            Assert.Equal(0, await b.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            // The killed holder could not stop its child; end it by the PID it wrote.
            try { SignalSender.Send(orphan, SignalSender.SIGKILL); } catch (InvalidOperationException) { }
        }
    }
}
