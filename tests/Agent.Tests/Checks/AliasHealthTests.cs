using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Tests.Checks;

public class AliasHealthTests
{
    private static HealthCheck Chk(string id, string status, string serviceId = "", string node = "n1", string output = "") =>
        new() { CheckID = id, Name = id, Status = status, ServiceID = serviceId, Node = node, Output = output };

    private static (string, string) Eval(string node, string service, bool exists, params HealthCheck[] checks) =>
        AliasHealth.EvaluateAsync(node, service, checks, () => ValueTask.FromResult(exists)).AsTask().GetAwaiter().GetResult();

    [Fact]
    public void AllPassing() =>
        Assert.Equal((HealthStatus.Passing, "All checks passing."),
            Eval("", "web", true, Chk("a", "passing", "web"), Chk("b", "passing", "web")));

    [Fact]
    public void CriticalWinsOverWarning() =>
        Assert.Equal((HealthStatus.Critical, "Aliased check \"b\" failing: down"),
            Eval("", "web", true, Chk("a", "warning", "web", output: "slow"), Chk("b", "critical", "web", output: "down"), Chk("c", "warning", "web")));

    [Fact]
    public void WarningIsKept() =>
        Assert.Equal((HealthStatus.Warning, "Aliased check \"a\" failing: slow"),
            Eval("", "web", true, Chk("a", "warning", "web", output: "slow"), Chk("b", "passing", "web")));

    [Fact]
    public void OtherServicesAreIgnoredButNodeChecksCount()
    {
        Assert.Equal(HealthStatus.Passing, Eval("", "web", true, Chk("a", "passing", "web"), Chk("x", "critical", "db")).Item1);
        Assert.Equal(HealthStatus.Critical, Eval("", "web", true, Chk("a", "passing", "web"), Chk("serfHealth", "critical")).Item1);
    }

    [Fact]
    public void MissingServiceIsCritical() =>
        Assert.Equal((HealthStatus.Critical, "Service web could not be found on node n2"),
            Eval("n2", "web", false, Chk("serfHealth", "passing", node: "n2")));

    [Fact]
    public void ServiceWithoutChecksThatExistsIsPassing() =>
        Assert.Equal((HealthStatus.Passing, "No checks found."), Eval("", "web", true));

    [Fact]
    public void NodeAliasMirrorsNodeChecksOfThatNodeOnly()
    {
        Assert.Equal((HealthStatus.Critical, "Aliased check \"serfHealth\" failing: gone"),
            Eval("n2", "", false, Chk("serfHealth", "critical", node: "N2", output: "gone"), Chk("svc", "passing", "web", node: "n2")));
        Assert.Equal(HealthStatus.Passing,
            Eval("n2", "", false, Chk("serfHealth", "passing", node: "n2"), Chk("other", "critical", node: "n3")).Item1);
    }
}
