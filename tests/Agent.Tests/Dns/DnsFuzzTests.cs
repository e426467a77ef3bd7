using System.Net;
using System.Net.Sockets;
using Consul.Core.Dns;
using DnsClient;

namespace Consul.Tests.Dns;

/// <summary>Garbage and mutated packets must never stop the server from answering.</summary>
public class DnsFuzzTests
{
    [Fact(Timeout = 60_000)]
    public async Task ThousandsOfRandomAndMutatedPackets_ServerStillAnswers()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new DnsOptions { EnableTruncate = true });
        var random = new Random(20260101);
        string[] names = ["web.service.consul", "_web._tcp.service.consul", "node1.node.consul", "1.0.0.10.in-addr.arpa", "example.com", "0a010002.addr.dc1.consul"];
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var replies = 0;
        using var drain = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var r = await udp.ReceiveAsync(drain.Token);
                    Assert.True(r.Buffer.Length >= 12 && RawDns.IsResponse(r.Buffer), "server sent a non-response");
                    Interlocked.Increment(ref replies);
                }
            }
            catch (OperationCanceledException) { }
        });

        for (var i = 0; i < 4000; i++)
        {
            var packet = i % 4 == 0 ? RandomBytes(random) : Mutate(random, RawDns.Query((ushort)i, names[i % names.Length], (ushort)random.Next(1, 300), i % 3 == 0 ? (ushort)4096 : null));
            await udp.SendAsync(packet, dns.EndPoint);
            if (i % 200 == 0)
            {
                // Pace the burst so the loopback socket buffer is not the thing being tested.
                var alive = await dns.Client().QueryAsync("web.service.consul", QueryType.A);
                Assert.Equal(2, alive.Answers.Count);
            }
        }

        var udpAfter = await dns.Client().QueryAsync("web.service.consul", QueryType.A);
        Assert.Equal(2, udpAfter.Answers.Count);
        var tcpAfter = await dns.Client(tcp: true).QueryAsync("_web._tcp.service.consul", QueryType.SRV);
        Assert.Equal(2, tcpAfter.Answers.Count);
        drain.Cancel();
        await reader;
        Assert.True(replies > 100, $"only {replies} replies to 4000 packets");
    }

    [Fact(Timeout = 30_000)]
    public async Task MalformedUdpQueries_GetFormErrNotImpOrNothing_AndTheServerGoesOn()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        // Names ARSoft cannot parse (here a compression loop) are dropped by its transport.
        byte[] loop = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        var loopReply = await RawDns.UdpExchangeAsync(dns.EndPoint, loop, TimeSpan.FromMilliseconds(500));
        Assert.True(loopReply is null || RawDns.Rcode(loopReply) == 1);

        var twoQuestions = RawDns.Query(0x1111, "web.service.consul", 1);
        twoQuestions[5] = 2;
        var formErr = await RawDns.UdpExchangeAsync(dns.EndPoint, twoQuestions, TimeSpan.FromSeconds(5));
        Assert.NotNull(formErr);
        Assert.Equal((0x1111, 1, 0), (RawDns.Id(formErr), RawDns.Rcode(formErr), RawDns.AnswerCount(formErr)));

        var update = RawDns.Query(0x2222, "web.service.consul", 1, flags2: (byte)(5 << 3));
        var notImp = await RawDns.UdpExchangeAsync(dns.EndPoint, update, TimeSpan.FromSeconds(5));
        Assert.NotNull(notImp);
        Assert.Equal((0x2222, 4), (RawDns.Id(notImp), RawDns.Rcode(notImp)));

        var response = RawDns.Query(0x3333, "web.service.consul", 1, flags2: 0x81);
        Assert.Null(await RawDns.UdpExchangeAsync(dns.EndPoint, response, TimeSpan.FromMilliseconds(500)));

        var ok = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(0x4444, "web.service.consul", 1), TimeSpan.FromSeconds(5));
        Assert.NotNull(ok);
        Assert.Equal((0x4444, 0, 2), (RawDns.Id(ok), RawDns.Rcode(ok), RawDns.AnswerCount(ok)));
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpConnection_SurvivesAMalformedQuery()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(dns.EndPoint);
        var stream = tcp.GetStream();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var bad = RawDns.Query(1, "web.service.consul", 1);
        bad[7] = 3; // three answers in a query
        await RawDns.WriteFramedAsync(stream, bad);
        var first = await RawDns.ReadFramedAsync(stream, cts.Token);
        Assert.Equal((1, 1), (RawDns.Id(first), RawDns.Rcode(first)));

        await RawDns.WriteFramedAsync(stream, RawDns.Query(2, "db.service.consul", 1));
        var second = await RawDns.ReadFramedAsync(stream, cts.Token);
        Assert.Equal((2, 0, 20), (RawDns.Id(second), RawDns.Rcode(second), RawDns.AnswerCount(second)));
    }

    [Fact(Timeout = 30_000)]
    public async Task TcpGarbage_ClosesOnlyThatConnection()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(dns.EndPoint);
            await RawDns.WriteFramedAsync(tcp.GetStream(), [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]);
            await RawDns.WriteFramedAsync(tcp.GetStream(), new byte[300]);
        }
        var after = await dns.Client(tcp: true).QueryAsync("web.service.consul", QueryType.A);
        Assert.Equal(2, after.Answers.Count);
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 600)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] packet)
    {
        var p = packet.ToArray();
        switch (random.Next(6))
        {
            case 0: // flip bytes
                for (var n = random.Next(1, 6); n > 0; n--) p[random.Next(p.Length)] = (byte)random.Next(256);
                return p;
            case 1: // cut short
                return p[..random.Next(p.Length)];
            case 2: // absurd counts
                p[4 + 2 * random.Next(4)] = 0xFF;
                return p;
            case 3: // compression pointer somewhere in the name, possibly to itself or forward
                var at = random.Next(12, Math.Max(13, p.Length - 2));
                p[at] = (byte)(0xC0 | random.Next(0, 1));
                p[at + 1] = (byte)random.Next(256);
                return p;
            case 4: // trailing junk
                var junk = new byte[random.Next(1, 100)];
                random.NextBytes(junk);
                return [.. p, .. junk];
            default: // random opcode / flags
                p[2] = (byte)random.Next(256);
                p[3] = (byte)random.Next(256);
                return p;
        }
    }
}
