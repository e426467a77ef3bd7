using System.Buffers.Binary;
using Consul.Core.Dns;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Dns;

/// <summary>The cache of encoded UDP responses: keys, generations, age, shuffle orders, SOA serials.</summary>
public class DnsWireCacheTests
{
    private static readonly object Scope = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

    private DnsWireCache Cache() => new(_time, TimeSpan.FromSeconds(5));

    /// <summary>The query turned into a response with the given A records (owner names point at the question).</summary>
    private static byte[] Response(byte[] query, byte rcode = 0, params byte[][] addresses)
    {
        var bytes = new List<byte>(query);
        bytes[2] |= 0x80;
        bytes[3] = rcode;
        bytes[7] = (byte)addresses.Length;
        foreach (var ip in addresses) bytes.AddRange([0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, .. ip]);
        return bytes.ToArray();
    }

    /// <summary>An NXDOMAIN response with an SOA (serial 7) in the authority section.</summary>
    private static byte[] NxDomainWithSoa(byte[] query)
    {
        var bytes = new List<byte>(query);
        bytes[2] |= 0x80;
        bytes[3] = 3;
        bytes[9] = 1;
        bytes.AddRange([0xC0, 12, 0, 6, 0, 1, 0, 0, 0, 0, 0, 4 + 20, 0xC0, 12, 0xC0, 12, 0, 0, 0, 7]);
        bytes.AddRange(new byte[16]);
        return bytes.ToArray();
    }

    private static byte[]? Answer(DnsWireCache cache, byte[] query, ulong index = 1, object? scope = null, Random? random = null)
    {
        var buffer = new byte[1024];
        return cache.TryAnswer(index, scope ?? Scope, query, buffer, random ?? new Random(1), out var length) ? buffer[..length] : null;
    }

    [Fact]
    public void Hit_CarriesTheQueryId()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "node1.node.consul", 1);
        var response = Response(query, 0, [10, 0, 0, 1]);
        Assert.Null(Answer(cache, query));

        cache.Offer(1, Scope, query, response);
        var again = RawDns.Query(0xBEEF, "node1.node.consul", 1);
        var hit = Answer(cache, again);

        Assert.NotNull(hit);
        Assert.Equal(0xBEEF, RawDns.Id(hit));
        Assert.Equal(response[2..], hit[2..]);
    }

    [Fact]
    public void KeyIsTheWholeQuery_CaseTypeFlagsAndEdns()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "web.service.consul", 1);
        cache.Offer(1, Scope, query, Response(query, 0, [10, 0, 0, 1]));

        Assert.NotNull(Answer(cache, RawDns.Query(2, "web.service.consul", 1)));
        Assert.Null(Answer(cache, RawDns.Query(2, "WEB.service.consul", 1)));
        Assert.Null(Answer(cache, RawDns.Query(2, "web.service.consul", 28)));
        Assert.Null(Answer(cache, RawDns.Query(2, "web.service.consul", 1, flags2: 0x00)));
        Assert.Null(Answer(cache, RawDns.Query(2, "web.service.consul", 1, ednsSize: 4096)));
    }

    [Fact]
    public void OtherIndexOrPermissions_Miss()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "node1.node.consul", 1);
        cache.Offer(1, Scope, query, Response(query, 0, [10, 0, 0, 1]));

        Assert.Null(Answer(cache, query, index: 2));
        Assert.Null(Answer(cache, query, scope: new object()));
        // An offer for a newer index starts a new generation; the old one is gone.
        cache.Offer(2, Scope, query, Response(query, 0, [10, 0, 0, 2]));
        Assert.Null(Answer(cache, query, index: 1));
        Assert.Equal([10, 0, 0, 2], Answer(cache, query, index: 2)![^4..]);
    }

    [Fact]
    public void EntriesExpireAfterMaxAge()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "node1.node.consul", 1);
        cache.Offer(1, Scope, query, Response(query, 0, [10, 0, 0, 1]));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.NotNull(Answer(cache, query));
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Null(Answer(cache, query));
    }

    [Fact]
    public void ServerFailureAndMalformedResponses_AreNotKept()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "node1.node.consul", 1);
        cache.Offer(1, Scope, query, Response(query, rcode: 2));
        Assert.Null(Answer(cache, query));
        cache.Offer(1, Scope, query, Response(query, 0, [10, 0, 0, 1])[..^2]);
        Assert.Null(Answer(cache, query));
    }

    [Fact]
    public void SoaSerial_IsTheTimeOfTheAnswer()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "nosuch.service.consul", 1);
        var response = NxDomainWithSoa(query);
        cache.Offer(1, Scope, query, response);
        _time.Advance(TimeSpan.FromSeconds(3));

        var hit = Answer(cache, query)!;
        var serialAt = query.Length + 12 + 4;
        Assert.Equal((uint)_time.GetUtcNow().ToUnixTimeSeconds(), BinaryPrimitives.ReadUInt32BigEndian(hit.AsSpan(serialAt)));
        Assert.Equal(response[..serialAt], hit[..serialAt]);
        Assert.Equal(response[(serialAt + 4)..], hit[(serialAt + 4)..]);
    }

    [Fact]
    public void ThreeRecords_AnswersOnlyOnceAllSixOrdersAreKnown_ThenPicksAtRandom()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "web.service.consul", 1);
        byte[][] ips = [[10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 3]];
        int[][] orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var order in orders)
        {
            Assert.Null(Answer(cache, query));
            cache.Offer(1, Scope, query, Response(query, 0, order.Select(i => ips[i]).ToArray()));
            cache.Offer(1, Scope, query, Response(query, 0, order.Select(i => ips[i]).ToArray())); // a repeat adds nothing
        }
        var random = new Random(7);
        var seen = new HashSet<string>();
        for (var i = 0; i < 300; i++) seen.Add(Convert.ToHexString(Answer(cache, query, random: random)!));
        Assert.Equal(6, seen.Count);
    }

    [Fact]
    public void AnswersThatNeverVary_StopCollectingAfterBoundedTries()
    {
        var cache = Cache();
        var query = RawDns.Query(1, "web.service.consul", 1);
        var response = Response(query, 0, [10, 0, 0, 1], [10, 0, 0, 2]);
        // Two records want both orders; an answer that keeps one order gives up after 4 tries per order.
        for (var i = 0; i < 7; i++) cache.Offer(1, Scope, query, response);
        Assert.Null(Answer(cache, query));
        cache.Offer(1, Scope, query, response);
        Assert.NotNull(Answer(cache, query));
    }
}
