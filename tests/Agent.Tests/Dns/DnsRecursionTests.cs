using System.Net;
using Consul.Core.Dns;
using DnsClient;

namespace Consul.Tests.Dns;

/// <summary>Forwarding to recursors, with in-test ARSoft servers as upstreams.</summary>
public class DnsRecursionTests
{
    private static DnsOptions WithRecursors(params string[] recursors) =>
        new() { Recursors = recursors, RecursorTimeout = TimeSpan.FromSeconds(2) };

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeadRecursor_FailsOverToNext(bool tcp)
    {
        using var good = UpstreamDns.Start(IPAddress.Parse("192.0.2.7"));
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), WithRecursors($"127.0.0.1:{UpstreamDns.ClosedPort()}", good.Endpoint));
        var r = await dns.Client(tcp).QueryAsync("www.example.com", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NoError, r.Header.ResponseCode);
        Assert.Equal("192.0.2.7", Assert.Single(r.Answers.ARecords()).Address.ToString());
        Assert.True(r.Header.RecursionAvailable);
        Assert.Equal("www.example.com.", r.Answers[0].DomainName.Value);
    }

    [Fact(Timeout = 30_000)]
    public async Task ServFailingRecursor_IsSkipped_NxDomainIsPassedThrough()
    {
        using var failing = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"), failing: true);
        using var good = UpstreamDns.Start(IPAddress.Parse("192.0.2.8"));
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), WithRecursors(failing.Endpoint, good.Endpoint));
        var c = dns.Client();
        Assert.Equal("192.0.2.8", Assert.Single((await c.QueryAsync("a.example.net", QueryType.A)).Answers.ARecords()).Address.ToString());
        Assert.True(failing.Queries >= 1);

        var nx = await c.QueryAsync("missing.example", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, nx.Header.ResponseCode);
    }

    [Fact(Timeout = 30_000)]
    public async Task AllRecursorsFailing_IsServFail()
    {
        using var failing = UpstreamDns.Start(IPAddress.Parse("192.0.2.1"), failing: true);
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), WithRecursors($"127.0.0.1:{UpstreamDns.ClosedPort()}", failing.Endpoint));
        var r = await dns.Client().QueryAsync("www.example.com", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, r.Header.ResponseCode);
        Assert.True(r.Header.RecursionAvailable);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnknownReverseNames_AreRecursed_ConsulNamesAreNot()
    {
        using var good = UpstreamDns.Start(IPAddress.Parse("192.0.2.9"));
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), WithRecursors(good.Endpoint));
        var c = dns.Client();
        Assert.Equal(["10.0.0.1", "10.1.0.2"], (await c.QueryAsync("web.service.consul", QueryType.A)).Answers.ARecords().Select(a => a.Address.ToString()).Order().ToList());
        Assert.Equal(0, good.Queries);
        var ptr = await c.QueryAsync("9.9.9.9.in-addr.arpa", QueryType.PTR);
        Assert.Equal(DnsHeaderResponseCode.NoError, ptr.Header.ResponseCode);
        Assert.Equal(1, good.Queries);
    }

    [Theory]
    [InlineData("8.8.8.8", "8.8.8.8:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("[::1]:5300", "[::1]:5300")]
    [InlineData("2001:db8::1", "[2001:db8::1]:53")]
    public void RecursorAddresses_DefaultToPort53(string input, string expected) =>
        Assert.Equal(expected, Recursor.ParseAddress(input).ToString());

    [Theory]
    [InlineData("dns.google")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4:0")]
    [InlineData("1.2.3.4:99999")]
    public void InvalidRecursorAddresses_AreRejected(string input) =>
        Assert.Throws<FormatException>(() => Recursor.ParseAddress(input));
}
