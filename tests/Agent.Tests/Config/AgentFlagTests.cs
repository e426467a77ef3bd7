using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class AgentFlagTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void AcceptsEqualsAndSeparateValueForms()
    {
        var a = _f.Load("-datacenter=east", "-node", "n1", "-http-port", "9500", "-dns-port=9600");
        Assert.Equal("east", a.Datacenter);
        Assert.Equal("n1", a.NodeName);
        Assert.Equal(9500, a.Ports.Http);
        Assert.Equal(9600, a.Ports.Dns);
    }

    [Fact]
    public void AcceptsDoubleDashFlags()
    {
        var a = _f.Load("--node=n2", "--server");
        Assert.Equal("n2", a.NodeName);
        Assert.True(a.Server);
    }

    [Fact]
    public void BooleanFlagsWithAndWithoutValue()
    {
        Assert.True(_f.Load("-server").Server);
        Assert.True(_f.Load("-server=true").Server);
        Assert.False(_f.Load("-server=false").Server);
        Assert.True(_f.Load("-server=1").Server);
        Assert.True(_f.Load("-ui").UiEnabled);
        Assert.True(_f.Load("-rejoin").RejoinAfterLeave);
        Assert.True(_f.Load("-syslog").EnableSyslog);
        Assert.True(_f.Load("-log-json").LogJson);
    }

    [Fact]
    public void BooleanFlagDoesNotConsumeNextArgument()
    {
        // Go's flag package: "-server true" leaves "true" as an extra argument.
        Assert.Equal("Unexpected extra arguments: [true]", _f.Error("-server", "true"));
    }

    [Fact]
    public void RepeatableFlagsAccumulateInOrder()
    {
        var a = _f.Load("-retry-join=10.0.0.1", "-retry-join", "10.0.0.2", "-join=a", "-join=b",
            "-recursor=8.8.8.8", "-recursor=1.1.1.1", "-retry-join-wan=w1", "-join-wan=jw");
        Assert.Equal(["10.0.0.1", "10.0.0.2"], a.RetryJoin);
        Assert.Equal(["a", "b"], a.StartJoin);
        Assert.Equal(["8.8.8.8", "1.1.1.1"], a.Recursors);
        Assert.Equal(["w1"], a.RetryJoinWan);
        Assert.Equal(["jw"], a.StartJoinWan);
    }

    [Fact]
    public void NodeMetaFlagSplitsOnFirstColon()
    {
        var a = _f.Load("-node-meta=rack:r1", "-node-meta", "url:http://x", "-node-meta=flag");
        Assert.Equal("r1", a.NodeMeta["rack"]);
        Assert.Equal("http://x", a.NodeMeta["url"]);
        Assert.Equal("", a.NodeMeta["flag"]);
    }

    [Fact]
    public void MapsEveryAddressAndPortFlag()
    {
        var a = _f.Load("-bind=127.0.0.2", "-advertise=127.0.0.3", "-advertise-wan=127.0.0.4", "-client=127.0.0.5 127.0.0.6",
            "-serf-lan-bind=127.0.0.7", "-serf-wan-bind=127.0.0.8", "-server-port=9300", "-serf-lan-port=9301",
            "-serf-wan-port=9302", "-grpc-port=9502", "-https-port=9501", "-domain=example.", "-alt-domain=alt.",
            "-encrypt=pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=", "-pid-file=/tmp/p", "-log-level=warn",
            "-log-file=/tmp/l", "-retry-interval=5s", "-retry-interval-wan=7s", "-retry-max=3", "-retry-max-wan=4",
            "-protocol=2", "-raft-protocol=3", "-ui-content-path=dash", "-node-id=ABCDEF01-2345-6789-ABCD-EF0123456789",
            "-enable-script-checks", "-enable-local-script-checks=false", "-disable-host-node-id=false");
        Assert.Equal("127.0.0.2", a.BindAddr);
        Assert.Equal("127.0.0.3", a.AdvertiseAddr);
        Assert.Equal("127.0.0.4", a.AdvertiseAddrWan);
        Assert.Equal("127.0.0.5", a.ClientAddr);
        Assert.Equal(["127.0.0.5", "127.0.0.6"], a.ClientAddrs);
        Assert.Equal("127.0.0.7", a.SerfLanBindAddr);
        Assert.Equal("127.0.0.8", a.SerfWanBindAddr);
        Assert.Equal((9300, 9301, 9302, 9502, 9501), (a.Ports.Server, a.Ports.SerfLan, a.Ports.SerfWan, a.Ports.Grpc, a.Ports.Https));
        Assert.Equal(("example.", "alt."), (a.Domain, a.AltDomain));
        Assert.Equal("pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=", a.Encrypt);
        Assert.Equal(("/tmp/p", "warn", "/tmp/l"), (a.PidFile, a.LogLevel, a.LogFile));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7)), (a.RetryInterval, a.RetryIntervalWan));
        Assert.Equal((3, 4), (a.RetryMax, a.RetryMaxWan));
        Assert.Equal("/dash/", a.UiContentPath);
        Assert.Equal("abcdef01-2345-6789-abcd-ef0123456789", a.NodeId);
        Assert.True(a.EnableScriptChecks);
        Assert.False(a.EnableLocalScriptChecks);
        Assert.False(a.DisableHostNodeId);
    }

    [Fact]
    public void BootstrapFlags()
    {
        var a = _f.Load("-server", "-bootstrap-expect=3");
        Assert.Equal(3, a.BootstrapExpect);
        Assert.False(a.Bootstrap);
        Assert.True(_f.Load("-server", "-bootstrap").Bootstrap);
    }

    [Theory]
    [InlineData("error parsing flags: flag provided but not defined: -foo", "-foo")]
    [InlineData("error parsing flags: flag provided but not defined: -dc", "-dc=dc2")]
    [InlineData("error parsing flags: flag needs an argument: -node", "-node")]
    [InlineData("error parsing flags: invalid value \"abc\" for flag -http-port: strconv.Atoi: parsing \"abc\": invalid syntax", "-http-port=abc")]
    [InlineData("error parsing flags: invalid value \"99999999999\" for flag -bootstrap-expect: strconv.Atoi: parsing \"99999999999\": value out of range", "-bootstrap-expect=99999999999")]
    [InlineData("error parsing flags: invalid boolean value \"yes\" for -server: strconv.ParseBool: parsing \"yes\": invalid syntax", "-server=yes")]
    [InlineData("error parsing flags: bad flag syntax: ---x", "---x")]
    [InlineData("Unexpected extra arguments: [extra more]", "extra", "more")]
    public void FlagErrorsUseGoWording(string expected, params string[] args) =>
        Assert.Equal(expected, _f.Error(args));

    [Fact]
    public void DoubleDashEndsFlags()
    {
        Assert.Equal("Unexpected extra arguments: [-server]", _f.Error("--", "-server"));
    }

    [Fact]
    public void LaterFlagWinsForScalars()
    {
        Assert.Equal("b", _f.Load("-node=a", "-node=b").NodeName);
    }

    [Fact]
    public void ConfigFormatMustBeJsonOrHcl()
    {
        Assert.Equal("config: -config-format must be either 'hcl' or 'json'", _f.Error("-config-format=yaml"));
    }
}
