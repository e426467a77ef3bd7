using System.Net;
using Consul.Core.Dns;
using DnsClient;
using DnsClient.Protocol;

namespace Consul.Tests.Dns;

/// <summary>The server on 127.0.0.1 queried with DnsClient over UDP and TCP.</summary>
public class DnsServerTests
{
    private static async Task<IDnsQueryResponse> Ask(LookupClient client, string name, QueryType type) =>
        await client.QueryAsync(name, type);

    private static List<string> Addresses(IDnsQueryResponse r) =>
        r.Answers.ARecords().Select(a => a.Address.ToString())
            .Concat(r.Answers.AaaaRecords().Select(a => a.Address.ToString()))
            .Order(StringComparer.Ordinal).ToList();

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EveryLookupForm_UdpAndTcp(bool tcp)
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        var c = dns.Client(tcp);

        Assert.Equal(["10.0.0.1", "10.1.0.2"], Addresses(await Ask(c, "web.service.consul", QueryType.A)));
        Assert.Equal(["10.0.0.1"], Addresses(await Ask(c, "primary.web.service.consul", QueryType.A)));
        Assert.Equal(["fd00::6"], Addresses(await Ask(c, "api.service.consul", QueryType.AAAA)));
        Assert.Equal(["10.0.0.1"], Addresses(await Ask(c, "consul.service.consul", QueryType.A)));

        var srv = await Ask(c, "_web._tcp.service.consul", QueryType.SRV);
        Assert.Equal(["0a010002.addr.dc1.consul.", "node1.node.dc1.consul."],
            srv.Answers.SrvRecords().Select(s => s.Target.Value).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(2, srv.Additionals.ARecords().Count());
        Assert.Contains(srv.Additionals.TxtRecords(), t => t.Text.Contains("rack=r1"));

        Assert.Equal(["10.0.0.1"], Addresses(await Ask(c, "node1.node.dc1.consul", QueryType.A)));
        var txt = await Ask(c, "node1.node.consul", QueryType.TXT);
        Assert.Equal(["rack=r1", "v=spf1 -all"], txt.Answers.TxtRecords().SelectMany(t => t.Text).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["10.1.0.2"], Addresses(await Ask(c, "0a010002.addr.dc1.consul", QueryType.A)));

        var ptr = await c.QueryReverseAsync(IPAddress.Parse("10.0.0.1"));
        Assert.Equal("node1.node.dc1.consul.", Assert.Single(ptr.Answers.PtrRecords()).PtrDomainName.Value);

        var soa = await Ask(c, "consul", QueryType.SOA);
        var soaRecord = Assert.Single(soa.Answers.SoaRecords());
        Assert.Equal("ns.consul.", soaRecord.MName.Value);
        Assert.Equal("hostmaster.consul.", soaRecord.RName.Value);
        Assert.InRange(soaRecord.Serial, (uint)DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), (uint)DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());
        Assert.Equal("node1.node.dc1.consul.", Assert.Single((await Ask(c, "consul", QueryType.NS)).Answers.NsRecords()).NSDName.Value);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ResponseCodes_NxDomainNoDataRefused(bool tcp)
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        var c = dns.Client(tcp);

        var nx = await Ask(c, "nope.service.consul", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, nx.Header.ResponseCode);
        Assert.Single(nx.Authorities.SoaRecords());

        var nodata = await Ask(c, "node1.node.consul", QueryType.MX);
        Assert.Equal(DnsHeaderResponseCode.NoError, nodata.Header.ResponseCode);
        Assert.Empty(nodata.Answers);
        Assert.Single(nodata.Authorities.SoaRecords());

        var refused = await Ask(c, "example.com", QueryType.A);
        Assert.Equal(DnsHeaderResponseCode.Refused, refused.Header.ResponseCode);
        Assert.False(refused.Header.RecursionAvailable);
    }

    [Fact(Timeout = 30_000)]
    public async Task CaseInsensitiveLookup_PreservesQueryCase()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        var r = await Ask(dns.Client(), "WEB.Service.Consul", QueryType.A);
        Assert.Equal(2, r.Answers.Count);
        Assert.All(r.Answers, a => Assert.Equal("WEB.Service.Consul.", a.DomainName.Original));
    }

    [Fact(Timeout = 30_000)]
    public async Task UdpTruncation_SetsTc_AndTcpFallbackGetsEverything()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { EnableTruncate = true });
        // DnsClient refuses truncated answers without TCP fallback, so look at the raw reply.
        var udp = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(5, "db.service.consul", 33), TimeSpan.FromSeconds(5));
        Assert.NotNull(udp);
        Assert.True(RawDns.IsTruncated(udp));
        Assert.InRange(RawDns.AnswerCount(udp), 1, 3);
        Assert.True(udp.Length <= 512);

        var fallback = await Ask(dns.Client(tcpFallback: true), "db.service.consul", QueryType.SRV);
        Assert.False(fallback.Header.ResultTruncated);
        Assert.Equal(20, fallback.Answers.SrvRecords().Count());

        var tcp = await Ask(dns.Client(tcp: true), "db.service.consul", QueryType.A);
        Assert.Equal(20, tcp.Answers.ARecords().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task UdpAnswerLimit_WithoutTruncateFlag()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { UdpAnswerLimit = 2 });
        var r = await Ask(dns.Client(tcpFallback: false), "db.service.consul", QueryType.A);
        Assert.False(r.Header.ResultTruncated);
        Assert.Equal(2, r.Answers.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task Edns_HonoursClientBufferSize()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { EnableTruncate = true });
        var big = await Ask(dns.Client(bufferSize: 4096, tcpFallback: false), "db.service.consul", QueryType.SRV);
        Assert.False(big.Header.ResultTruncated);
        Assert.Equal(20, big.Answers.Count);
        Assert.True(big.MessageSize > 512);
        var opt = Assert.Single(big.Additionals.OfType<DnsClient.Protocol.Options.OptRecord>());
        Assert.Equal(4096, opt.UdpSize);

        var medium = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(6, "db.service.consul", 33, ednsSize: 1232), TimeSpan.FromSeconds(5));
        Assert.NotNull(medium);
        Assert.True(RawDns.IsTruncated(medium));
        Assert.InRange(RawDns.AnswerCount(medium), 4, 19);
        Assert.InRange(medium.Length, 513, 1232);
    }

    [Fact(Timeout = 30_000)]
    public async Task ARecordLimit_AndServiceTtl_OverTheWire()
    {
        var options = new DnsOptions { ARecordLimit = 1, ServiceTtl = new Dictionary<string, TimeSpan> { ["*"] = TimeSpan.FromSeconds(15) }, NodeTtl = TimeSpan.FromSeconds(9) };
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), options);
        var r = await Ask(dns.Client(tcp: true), "db.service.consul", QueryType.A);
        Assert.Equal(15, Assert.Single(r.Answers).InitialTimeToLive);
        Assert.Equal(9, Assert.Single((await Ask(dns.Client(), "node2.node.consul", QueryType.A)).Answers).InitialTimeToLive);
    }

    [Fact(Timeout = 30_000)]
    public async Task IdAndQuestion_AreEchoed_OnRawUdp()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        var reply = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(0xBEEF, "Web.Service.Consul", 1), TimeSpan.FromSeconds(5));
        Assert.NotNull(reply);
        Assert.Equal(0xBEEF, RawDns.Id(reply));
        Assert.True(RawDns.IsResponse(reply));
        Assert.Equal(0, RawDns.Rcode(reply));
        Assert.Equal(2, RawDns.AnswerCount(reply));
        Assert.Equal("Web"u8.ToArray(), reply[13..16]); // the question keeps its spelling
    }

    [Fact(Timeout = 30_000)]
    public async Task PortTakenOnTcp_FailsStart_AndReleasesUdp()
    {
        using var blocker = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((IPEndPoint)blocker.LocalEndpoint).Port;
        var server = new ConsulDnsServer(new DnsOptions { BindAddress = IPAddress.Loopback, Port = port }, DnsCatalog.Standard().Store,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => server.StartAsync(CancellationToken.None));
        using var udp = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, port)); // would throw if still bound
        Assert.Equal(port, ((IPEndPoint)udp.Client.LocalEndPoint!).Port);
        await server.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task StopAsync_ReleasesThePort()
    {
        // Asks the kernel which sockets are bound rather than rebinding: a socket of another
        // test bound to 0.0.0.0 could own the same port number and make a rebind fail.
        var address = IPAddress.Parse("127.0.0.99");
        var server = new ConsulDnsServer(new DnsOptions { BindAddress = address, Port = 0 }, DnsCatalog.Standard().Store,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        var port = server.Port;
        Assert.True(BoundSockets.IsBound("udp", address, port));
        Assert.True(BoundSockets.IsBound("tcp", address, port));
        await server.DisposeAsync();
        Assert.False(BoundSockets.IsBound("udp", address, port));
        Assert.False(BoundSockets.IsBound("tcp", address, port));
    }

    /// <summary>Reads Linux's /proc/net tables of this network namespace.</summary>
    private static class BoundSockets
    {
        private const string TcpListen = "0A";

        public static bool IsBound(string protocol, IPAddress address, int port)
        {
            // Local addresses are the IPv4 bytes as one little-endian hex word, then the port.
            var wanted = $"{BitConverter.ToUInt32(address.GetAddressBytes()):X8}:{port:X4}";
            return File.ReadLines($"/proc/net/{protocol}").Skip(1)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Any(fields => fields[1] == wanted && (protocol == "udp" || fields[3] == TcpListen));
        }
    }
}
