using Consul.Agent.Config;

namespace Consul.Tests.Config;

public sealed class AddressTemplateTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static string Expand(string text) => AddressTemplate.Expand(text, () => ConfigFixture.HostAddresses);

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("{{ GetInterfaceIP \"eth0\" }}", "10.1.2.3")]
    [InlineData("{{GetInterfaceIP \"eth1\"}}", "203.0.113.7")]
    [InlineData("{{ GetInterfaceIPs \"eth0\" }}", "10.1.2.3 fe80::1")]
    [InlineData("{{ GetPrivateIP }}", "10.1.2.3")]
    [InlineData("{{ GetPrivateIPs }}", "10.1.2.3")]
    [InlineData("{{ GetPublicIP }}", "203.0.113.7")]
    [InlineData("127.0.0.1 {{ GetPrivateIP }}", "127.0.0.1 10.1.2.3")]
    public void Expands(string template, string expected) => Assert.Equal(expected, Expand(template));

    [Fact]
    public void MissingInterfaceIsAnError()
    {
        var e = Assert.Throws<FormatException>(() => Expand("{{ GetInterfaceIP \"eth9\" }}"));
        Assert.Contains("No IP addresses found on interface eth9", e.Message);
    }

    [Fact]
    public void TemplatesWorkInAddressSettings()
    {
        var cfg = _f.LoadJson("""{ "bind_addr": "{{ GetInterfaceIP \"eth0\" }}", "client_addr": "127.0.0.1 {{ GetPrivateIP }}", "retry_join": ["{{ GetPublicIP }}", "provider=aws tag_key=x"] }""");
        Assert.Equal("10.1.2.3", cfg.BindAddr);
        Assert.Equal("10.1.2.3", cfg.AdvertiseAddr);
        Assert.Equal(["127.0.0.1", "10.1.2.3"], cfg.ClientAddrs);
        Assert.Equal(["203.0.113.7", "provider=aws tag_key=x"], cfg.RetryJoin);
    }

    [Fact]
    public void AddressesOverrideClientAddr()
    {
        var cfg = _f.LoadJson("""{ "bind_addr": "127.0.0.2", "addresses": { "http": "0.0.0.0", "dns": "127.0.0.3" } }""");
        Assert.Equal("0.0.0.0", cfg.Addresses.Http);
        Assert.Equal("127.0.0.3", cfg.Addresses.Dns);
        Assert.Null(cfg.Addresses.Https);
        Assert.Equal(["0.0.0.0"], cfg.HttpListenAddrs);
        Assert.Equal(["127.0.0.3"], cfg.DnsListenAddrs);
        Assert.Empty(cfg.HttpsListenAddrs);
        Assert.Empty(cfg.GrpcListenAddrs);
    }

    [Fact]
    public void ListenAddressesDefaultToClientAddrs()
    {
        var cfg = _f.Load("-bind=127.0.0.2", "-client=127.0.0.1 127.0.0.4", "-https-port=8501");
        Assert.Equal(["127.0.0.1", "127.0.0.4"], cfg.HttpListenAddrs);
        Assert.Equal(["127.0.0.1", "127.0.0.4"], cfg.HttpsListenAddrs);
        Assert.Equal(["127.0.0.1", "127.0.0.4"], cfg.DnsListenAddrs);
    }
}
