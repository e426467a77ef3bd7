using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>docker-compose.yml: the shipped file passes the checks, and broken copies do not.</summary>
public class ComposeFileTests
{
    [Fact]
    public void ShippedComposeFilePassesEveryCheck()
    {
        var problems = ComposeChecks.Check(DeployFiles.ComposeFile());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void ServersJoinEachOtherOnTheTutorialSubnet()
    {
        var compose = DeployFiles.ComposeFile();
        Assert.Equal("172.28.0.0/16", compose["networks"]!["consul"]!["ipam"]!["config"]![0]!["subnet"]!.ToString());
        var command = compose["services"]!["consul-server1"]!["command"]!.ToString();
        Assert.Contains("-retry-join=172.28.0.12", command);
        Assert.Contains("-retry-join=172.28.0.13", command);
        Assert.Equal("172.28.0.11", compose["services"]!["consul-server1"]!["networks"]!["consul"]!["ipv4_address"]!.ToString());
    }

    [Fact]
    public void RetryJoinToWrongAddressIsReported()
    {
        var compose = DeployFiles.ComposeFile();
        var svc = compose["services"]!["consul-server2"]!;
        svc["command"] = svc["command"]!.ToString().Replace("-retry-join=172.28.0.13", "-retry-join=172.28.0.14");
        Assert.Contains(ComposeChecks.Check(compose), p => p.StartsWith("consul-server2: -retry-join", StringComparison.Ordinal));
    }

    [Fact]
    public void AddressOutsideSubnetIsReported()
    {
        var compose = DeployFiles.ComposeFile();
        compose["services"]!["consul-client"]!["networks"]!["consul"]!["ipv4_address"] = "10.0.0.21";
        Assert.Contains(ComposeChecks.Check(compose), p => p == "consul-client: 10.0.0.21 is outside 172.28.0.0/16");
    }

    [Fact]
    public void MissingPublishedPortAndVolumeAreReported()
    {
        var compose = DeployFiles.ComposeFile();
        var server1 = compose["services"]!["consul-server1"]!;
        server1["ports"] = new JsonArray("8500:8500");
        server1["volumes"] = new JsonArray("/tmp/data:/consul/data");
        var problems = ComposeChecks.Check(compose);
        Assert.Contains("consul-server1: port 8600:8600/udp not published", problems);
        Assert.Contains("consul-server1: /consul/data is not a named volume", problems);
    }

    [Fact]
    public void WrongBootstrapExpectIsReported()
    {
        var compose = DeployFiles.ComposeFile();
        var svc = compose["services"]!["consul-server3"]!;
        svc["command"] = svc["command"]!.ToString().Replace("-bootstrap-expect=3", "-bootstrap-expect=1");
        Assert.Contains("consul-server3: command lacks -bootstrap-expect=3", ComposeChecks.Check(compose));
    }
}
