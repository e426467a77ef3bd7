using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class ScriptCheckTests
{
    [Theory(Timeout = 30_000)]
    [InlineData("exit 0", HealthStatus.Passing)]
    [InlineData("exit 1", HealthStatus.Warning)]
    [InlineData("exit 2", HealthStatus.Critical)]
    [InlineData("kill -9 $$", HealthStatus.Critical)]
    public async Task ExitCodeDecidesStatus(string script, string expected)
    {
        await using var h = new CheckHarness();
        h.Manager.Start("s", Defs.Script("/bin/sh", "-c", "echo out; echo err >&2; " + script));
        var u = await h.DriveUntilUpdate("s");
        Assert.Equal(expected, u.Status);
        if (!script.StartsWith("kill")) Assert.Equal("out\nerr\n", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task ArgsRunWithoutAShell()
    {
        await using var h = new CheckHarness();
        // A shell would expand $HOME and the glob; run directly they stay literal.
        h.Manager.Start("s", Defs.Script("/bin/echo", "$HOME", "*"));
        var u = await h.DriveUntilUpdate("s");
        Assert.Equal(new CheckUpdate("s", HealthStatus.Passing, "$HOME *\n"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task LongOutputKeepsTheTail()
    {
        await using var h = new CheckHarness(new CheckManagerOptions { OutputMaxSize = 10 });
        h.Manager.Start("s", Defs.Script("/bin/sh", "-c", "printf 'aaaaaaaaaaaaaaaaaaaabbbbbbbbbb'"));
        var u = await h.DriveUntilUpdate("s");
        Assert.Equal("Captured 10 of 30 bytes\n...\nbbbbbbbbbb", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task TimeoutKillsTheProcessAndIsCritical()
    {
        await using var h = new CheckHarness();
        var def = Defs.Script("/bin/sh", "-c", "echo started; exec sleep 60");
        def.Timeout = "2s";
        h.Manager.Start("s", def);
        var u = await h.DriveUntilUpdate("s", duringProbes: true);
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.Equal("Timed out (2s) running check\n\nstarted\n", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task MissingProgramIsCritical()
    {
        await using var h = new CheckHarness();
        h.Manager.Start("s", Defs.Script("no-such-program-for-consul-checks"));
        var u = await h.DriveUntilUpdate("s");
        Assert.Equal(new CheckUpdate("s", HealthStatus.Critical, "exec: \"no-such-program-for-consul-checks\": executable file not found in $PATH"), u);
    }

    [Fact(Timeout = 60_000)]
    public async Task ThresholdsDelayStatusChanges()
    {
        var dir = Directory.CreateTempSubdirectory("consul-checks-");
        try
        {
            var codeFile = Path.Combine(dir.FullName, "code");
            File.WriteAllText(codeFile, "0");
            await using var h = new CheckHarness();
            var def = Defs.Script("/bin/sh", "-c", $"exit $(cat '{codeFile}')");
            def.Interval = "1s";
            def.FailuresBeforeCritical = 2;
            def.SuccessBeforePassing = 2;
            h.Manager.Start("s", def);

            // Run k: wait for the k-th probe by watching the script's side effect count.
            Assert.Equal(HealthStatus.Passing, (await h.DriveUntilUpdate("s", 1)).Status);

            File.WriteAllText(codeFile, "2");
            // Two failures are needed; the first is held back, the second reported critical.
            var second = await h.DriveUntilUpdate("s", 2, TimeSpan.FromMilliseconds(250));
            Assert.Equal(HealthStatus.Critical, second.Status);

            File.WriteAllText(codeFile, "0");
            var third = await h.DriveUntilUpdate("s", 3, TimeSpan.FromMilliseconds(250));
            Assert.Equal(HealthStatus.Passing, third.Status);
            // Exactly three updates: the held-back failure and success produced none.
            Assert.Equal(3, h.CountFor("s"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
