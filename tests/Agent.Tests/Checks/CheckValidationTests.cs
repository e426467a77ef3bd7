using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class CheckValidationTests
{
    public static TheoryData<CheckDefinition, string> InvalidDefinitions => new()
    {
        { new CheckDefinition { HTTP = "http://foo/baz" }, "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks" },
        { new CheckDefinition { TCP = "127.0.0.1:80", Interval = "0s" }, "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks" },
        { new CheckDefinition { Args = ["/bin/true"] }, "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks" },
        { new CheckDefinition { TTL = "-1s" }, "TTL must be > 0 for TTL checks" },
        { new CheckDefinition(), "TTL must be > 0 for TTL checks" },
        // Docker without Args is no interval check in Consul, so it falls to the TTL rule.
        { new CheckDefinition { DockerContainerID = "abc" }, "TTL must be > 0 for TTL checks" },
        { new CheckDefinition { TTL = "20s", Interval = "10s" }, "Interval and TTL cannot both be specified" },
        { new CheckDefinition { AliasService = "web", TTL = "10s" }, "TTL must be not be set for Alias checks" },
        { new CheckDefinition { AliasService = "web", TCP = "127.0.0.1:1", Interval = "10s" }, "Interval cannot be set for Alias checks" },
        { new CheckDefinition { TTL = "10s", OutputMaxSize = -1 }, "MaxOutputMaxSize must be positive" },
        { new CheckDefinition { TTL = "10s", FailuresBeforeWarning = 3, FailuresBeforeCritical = 2 }, "FailuresBeforeWarning can't be higher than FailuresBeforeCritical" },
        { new CheckDefinition { HTTP = "http://x", Interval = "ten" }, "time: invalid duration \"ten\"" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void ValidateTypeGivesConsulsText(CheckDefinition def, string expected)
    {
        Assert.Equal(expected, CheckManager.ValidateType(def));
        Assert.Equal("Check is not valid: " + expected, CheckManager.Validate(def, scriptChecksAllowed: true));
    }

    public static TheoryData<CheckDefinition> ValidDefinitions => new()
    {
        new CheckDefinition { HTTP = "http://127.0.0.1/health", Interval = "10s" },
        new CheckDefinition { TCP = "127.0.0.1:22", Interval = "1s", Timeout = "500ms" },
        new CheckDefinition { UDP = "127.0.0.1:53", Interval = "5s" },
        new CheckDefinition { GRPC = "127.0.0.1:9000/svc", Interval = "5s" },
        new CheckDefinition { TTL = "30s" },
        new CheckDefinition { AliasService = "web" },
        new CheckDefinition { AliasNode = "n2" },
        new CheckDefinition { DockerContainerID = "abc", Args = ["/bin/true"], Interval = "10s" },
        new CheckDefinition { TTL = "10s", FailuresBeforeWarning = 1, FailuresBeforeCritical = 3 },
    };

    [Theory]
    [MemberData(nameof(ValidDefinitions))]
    public void ValidDefinitionsPass(CheckDefinition def) => Assert.Null(CheckManager.Validate(def, scriptChecksAllowed: true));

    [Fact]
    public void ScriptChecksNeedPermission()
    {
        var def = new CheckDefinition { Args = ["/bin/true"], Interval = "10s" };
        Assert.Equal("Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true",
            CheckManager.Validate(def, scriptChecksAllowed: false));
        Assert.Null(CheckManager.Validate(def, scriptChecksAllowed: true));
        // ScriptArgs is the older name of Args.
        Assert.NotNull(CheckManager.Validate(new CheckDefinition { ScriptArgs = ["/bin/true"], Interval = "10s" }, false));
    }

    [Fact]
    public async Task SourceDecidesWhichScriptSettingApplies()
    {
        var def = new CheckDefinition { Args = ["/bin/true"], Interval = "10s" };
        await using var none = new CheckHarness();
        Assert.Equal("Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true",
            none.Manager.ValidateForSource(def, remote: false));
        Assert.Equal("Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true",
            none.Manager.ValidateForSource(def, remote: true));

        await using var local = new CheckHarness(new CheckManagerOptions { EnableLocalScriptChecks = true });
        Assert.Null(local.Manager.ValidateForSource(def, remote: false));
        Assert.NotNull(local.Manager.ValidateForSource(def, remote: true));

        await using var all = new CheckHarness(new CheckManagerOptions { EnableScriptChecks = true });
        Assert.Null(all.Manager.ValidateForSource(def, remote: true));
        Assert.Null(all.Manager.ValidateForSource(def, remote: false));
    }

    [Fact]
    public void InitialStatusIsCriticalUnlessGiven()
    {
        Assert.Equal(HealthStatus.Critical, CheckManager.InitialStatus(new CheckDefinition { TTL = "10s" }));
        Assert.Equal(HealthStatus.Passing, CheckManager.InitialStatus(new CheckDefinition { TTL = "10s", Status = "passing" }));
    }

    [Fact]
    public async Task StartRejectsInvalidDefinitions()
    {
        await using var h = new CheckHarness();
        var e = Assert.Throws<ArgumentException>(() => h.Manager.Start("c1", new CheckDefinition { HTTP = "http://x" }));
        Assert.StartsWith("Check is not valid: Interval must be > 0", e.Message);
        Assert.Empty(h.Manager.Running);
    }
}
