using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class DefaultsTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void ClientAgentDefaults()
    {
        var a = _f.Load("-bind=127.0.0.2");
        Assert.False(a.Dev);
        Assert.False(a.Server);
        Assert.False(a.Bootstrap);
        Assert.Equal("dc1", a.Datacenter);
        Assert.Equal("dc1", a.PrimaryDatacenter);
        Assert.Equal("consul.", a.Domain);
        Assert.Equal("test-host", a.NodeName);
        Assert.Equal("INFO", a.LogLevel);
        Assert.Equal("127.0.0.1", a.ClientAddr);
        Assert.Equal("127.0.0.2", a.AdvertiseAddr);
        Assert.Equal("127.0.0.2", a.AdvertiseAddrWan);
        Assert.Equal((8600, 8500, -1, -1, -1, 8300, 8301, 8302),
            (a.Ports.Dns, a.Ports.Http, a.Ports.Https, a.Ports.Grpc, a.Ports.GrpcTls, a.Ports.Server, a.Ports.SerfLan, a.Ports.SerfWan));
        Assert.Equal(TimeSpan.FromSeconds(30), a.RetryInterval);
        Assert.Equal(TimeSpan.FromHours(72), a.ReconnectTimeout);
        Assert.True(a.LeaveOnTerminate);
        Assert.False(a.SkipLeaveOnInterrupt);
        Assert.False(a.UiEnabled);
        Assert.Equal("/ui/", a.UiContentPath);
        Assert.True(a.DisableRemoteExec);
        Assert.True(a.DisableHostNodeId);
        Assert.Equal(2, a.Protocol);
        Assert.Equal(3, a.RaftProtocol);
        Assert.Equal(5, a.Performance.RaftMultiplier);
        Assert.Equal(TimeSpan.FromSeconds(7), a.Performance.RpcHoldTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), a.Performance.LeaveDrainTime);
        Assert.Null(a.Encrypt);
        Assert.Empty(a.Services);
        Assert.Empty(a.Checks);
    }

    [Fact]
    public void DnsDefaults()
    {
        var d = _f.Load().Dns;
        Assert.True(d.AllowStale);
        Assert.Equal(TimeSpan.FromHours(87600), d.MaxStale);
        Assert.Equal(TimeSpan.Zero, d.NodeTtl);
        Assert.Empty(d.ServiceTtl);
        Assert.Equal(3, d.UdpAnswerLimit);
        Assert.Equal(0, d.ARecordLimit);
        Assert.Equal(TimeSpan.FromSeconds(2), d.RecursorTimeout);
        Assert.False(d.EnableTruncate);
        Assert.False(d.OnlyPassing);
        Assert.Equal((86400u, 0u, 3600u, 600u), (d.Soa.Expire, d.Soa.MinTtl, d.Soa.Refresh, d.Soa.Retry));
    }

    [Fact]
    public void AclAutopilotAndLimitDefaults()
    {
        var a = _f.Load();
        Assert.False(a.Acl.Enabled);
        Assert.Equal("allow", a.Acl.DefaultPolicy);
        Assert.Equal("extend-cache", a.Acl.DownPolicy);
        Assert.Equal(TimeSpan.FromSeconds(30), a.Acl.TokenTtl);
        Assert.True(a.Autopilot.CleanupDeadServers);
        Assert.Equal(TimeSpan.FromMilliseconds(200), a.Autopilot.LastContactThreshold);
        Assert.Equal(250, a.Autopilot.MaxTrailingLogs);
        Assert.Equal(TimeSpan.FromSeconds(10), a.Autopilot.ServerStabilizationTime);
        Assert.Equal(200, a.Limits.HttpMaxConnsPerClient);
        Assert.Equal(double.PositiveInfinity, a.Limits.RpcRate);
        Assert.Equal(16384, a.RaftSnapshotThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), a.RaftSnapshotInterval);
        Assert.Equal(10240, a.RaftTrailingLogs);
        Assert.Equal("TLSv1_2", a.Tls.Https.TlsMinVersion);
    }

    [Fact]
    public void ServerDefaults()
    {
        var a = _f.Load("-server", "-bootstrap-expect=3");
        Assert.False(a.LeaveOnTerminate);
        Assert.True(a.SkipLeaveOnInterrupt);
        Assert.Equal(8503, a.Ports.GrpcTls);
        Assert.Contains("bootstrap_expect > 0: expecting 3 servers", a.Warnings);
    }

    [Fact]
    public void DevModeDefaults()
    {
        var a = _f.Load("-dev");
        Assert.True(a.Dev);
        Assert.True(a.Server);
        Assert.True(a.Bootstrap);
        Assert.Equal(0, a.BootstrapExpect);
        Assert.Equal("", a.DataDir);
        Assert.True(a.UiEnabled);
        Assert.Equal("127.0.0.1", a.BindAddr);
        Assert.Equal("127.0.0.1", a.AdvertiseAddr);
        Assert.Equal("127.0.0.1", a.ClientAddr);
        Assert.Equal("test-host", a.NodeName);
        Assert.Equal("DEBUG", a.LogLevel);
        Assert.Equal(1, a.Performance.RaftMultiplier);
        Assert.Equal(8502, a.Ports.Grpc);
        Assert.Equal(8503, a.Ports.GrpcTls);
        Assert.True(a.ConnectEnabled);
        Assert.True(a.EnableDebug);
        Assert.True(a.DisableKeyringFile);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a.NodeId);
        Assert.DoesNotContain("bootstrap = true: do not enable unless necessary", a.Warnings);
    }

    [Fact]
    public void DevFalseIsNormalMode()
    {
        Assert.Equal("data_dir cannot be empty",
            Assert.Throws<ConfigException>(() => AgentConfigLoader.Load(["-dev=false"], null, _f.Options())).Message);
    }

    [Fact]
    public void ToStringDoesNotShowTheGossipKey()
    {
        var a = _f.Load("-dev", "-encrypt=pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=");
        Assert.Contains("test-host", a.ToString());
        Assert.DoesNotContain("pUqJ", a.ToString());
    }

    [Fact]
    public void DevModeClientDoesNotBootstrap()
    {
        var a = _f.Load("-dev", "-server=false");
        Assert.False(a.Server);
        Assert.False(a.Bootstrap);
    }

    [Fact]
    public void BindToAnyAdvertisesTheSinglePrivateAddress()
    {
        var a = _f.Load();
        Assert.Equal("0.0.0.0", a.BindAddr);
        Assert.Equal("10.1.2.3", a.AdvertiseAddr);
        Assert.Equal("10.1.2.3", a.TaggedAddresses["lan"]);
        Assert.Equal("10.1.2.3", a.TaggedAddresses["wan"]);
    }

    [Fact]
    public void BootstrapExpectOneMeansBootstrap()
    {
        var a = _f.Load("-server", "-bootstrap-expect=1");
        Assert.True(a.Bootstrap);
        Assert.Equal(0, a.BootstrapExpect);
        Assert.Contains("BootstrapExpect is set to 1; this is the same as Bootstrap mode.", a.Warnings);
    }

    [Fact]
    public void NodeIdIsGeneratedOnceAndPersistedInDataDir()
    {
        var first = _f.Load();
        var path = Path.Combine(_f.DataDir, "node-id");
        Assert.True(File.Exists(path));
        Assert.Equal(first.NodeId, File.ReadAllText(path));
        var second = AgentConfigLoader.Load(["-data-dir=" + _f.DataDir], null, _f.Options());
        Assert.Equal(first.NodeId, second.NodeId);
    }

    [Fact]
    public void DevNodeIdComesFromTheGivenRandom()
    {
        var a = AgentConfigLoader.Load(["-dev", "-node=n"], null, new Random(7));
        var b = AgentConfigLoader.Load(["-dev", "-node=n"], null, new Random(7));
        Assert.Equal(a.NodeId, b.NodeId);
        Assert.NotEqual(a.NodeId, AgentConfigLoader.Load(["-dev", "-node=n"], null, new Random(8)).NodeId);
    }

    [Fact]
    public void HostBasedNodeIdIsTheHashedHostUuidWhenHostIdsAreOn()
    {
        // Consul: sha512 of the lower-cased host UUID, its first 16 bytes as a UUID.
        const string host = "4C4C4544-0042-3510-8052-B3C04F4A3732";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(host.ToLowerInvariant())));
        var expected = $"{hash[..8]}-{hash[8..12]}-{hash[12..16]}-{hash[16..20]}-{hash[20..32]}";
        var options = new LoadOptions { Hostname = () => "test-host", Random = new Random(1), HostId = () => host, PersistNodeId = false };

        Assert.Equal(expected, AgentConfigLoader.Load(["-dev", "-node=n", "-disable-host-node-id=false"], null, options).NodeId);
        // The default (disable_host_node_id = true) keeps IDs random; a host ID that is no UUID falls back to random too.
        Assert.NotEqual(expected, AgentConfigLoader.Load(["-dev", "-node=n"], null, options).NodeId);
        var notUuid = new LoadOptions { Hostname = () => "test-host", Random = new Random(1), HostId = () => "not-a-uuid", PersistNodeId = false };
        Assert.Equal(AgentConfigLoader.Load(["-dev", "-node=n"], null, new Random(1)).NodeId,
            AgentConfigLoader.Load(["-dev", "-node=n", "-disable-host-node-id=false"], null, notUuid).NodeId);
    }

    [Fact]
    public void PersistedNodeIdIsValidated()
    {
        Directory.CreateDirectory(_f.DataDir);
        File.WriteAllText(Path.Combine(_f.DataDir, "node-id"), "not-a-uuid");
        Assert.Equal("uuid string is wrong length", _f.Error());
    }

    [Theory]
    [InlineData("abc", "uuid string is wrong length")]
    [InlineData("abcdef01x2345-6789-abcd-ef0123456789", "uuid is improperly formatted")]
    [InlineData("gbcdef01-2345-6789-abcd-ef0123456789", "encoding/hex: invalid byte: U+0067 'g'")]
    public void ConfiguredNodeIdMustBeUuid(string id, string message) =>
        Assert.Equal(message, _f.Error("-node-id=" + id));
}
