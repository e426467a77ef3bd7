using ARSoft.Tools.Net.Dns;
using Consul.Core.Dns;

namespace Consul.Tests.Dns;

public class CompressionTests
{
    private static async Task<byte[]> RawReply(DnsOptions options, string name, ushort type)
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), options);
        var reply = await RawDns.UdpExchangeAsync(dns.EndPoint, RawDns.Query(9, name, type), TimeSpan.FromSeconds(5));
        Assert.NotNull(reply);
        return reply;
    }

    [Fact(Timeout = 30_000)]
    public async Task Expand_RemovesEveryPointer_KeepingTheRecords()
    {
        var compressed = await RawReply(new DnsOptions(), "web.service.consul", 33);
        var expanded = NameDecompressor.Expand(compressed);
        var before = DnsMessage.Parse(compressed);
        var after = DnsMessage.Parse(expanded);
        Assert.True(expanded.Length > compressed.Length);
        // With no pointers left, the size is exactly the uncompressed size of the records.
        Assert.Equal(WireSize.Of(after), expanded.Length);
        Assert.Equal(before.AnswerRecords.Select(r => r.ToString()), after.AnswerRecords.Select(r => r.ToString()));
        Assert.Equal(before.AdditionalRecords.Select(r => r.ToString()), after.AdditionalRecords.Select(r => r.ToString()));
    }

    [Theory(Timeout = 30_000)]
    [InlineData("web.service.consul", 33)]
    [InlineData("nope.service.consul", 1)] // NXDOMAIN with SOA
    [InlineData("node1.node.consul", 16)]
    public async Task DisableCompression_SendsUncompressedNames(string name, ushort type)
    {
        var compressed = await RawReply(new DnsOptions(), name, type);
        var plain = await RawReply(new DnsOptions { DisableCompression = true }, name, type);
        var parsed = DnsMessage.Parse(plain);
        Assert.Equal(WireSize.Of(parsed), plain.Length);
        Assert.True(plain.Length > compressed.Length);
        Assert.Equal(DnsMessage.Parse(compressed).AnswerRecords.Count, parsed.AnswerRecords.Count);
    }
}
