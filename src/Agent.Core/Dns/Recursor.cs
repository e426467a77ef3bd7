using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Dns;

/// <summary>dns_config.recursor_strategy: the order recursors are tried in for each query.</summary>
public enum RecursorStrategy
{
    /// <summary>"sequential" (Consul's default): always in configured order.</summary>
    Sequential,
    /// <summary>"random": a fresh random order per query, spreading load over the recursors.</summary>
    Random,
}

/// <summary>
/// Forwards questions outside the Consul domain to the configured recursors, as Consul's
/// handleRecurse: in configured order, or in a random order per query with
/// <see cref="RecursorStrategy.Random"/>. A recursor that times out, fails, or answers with
/// anything but NOERROR/NXDOMAIN is skipped; when all fail the caller answers SERVFAIL.
/// </summary>
public sealed class Recursor
{
    private readonly IReadOnlyList<Upstream> _upstreams;
    private readonly TimeSpan _timeout;
    private readonly ILogger _log;
    private readonly RecursorStrategy _strategy;
    private readonly Random _random;

    public Recursor(IEnumerable<string> recursors, TimeSpan timeout, ILogger log,
        RecursorStrategy strategy = RecursorStrategy.Sequential, Random? random = null)
    {
        _timeout = timeout;
        _log = log;
        _strategy = strategy;
        _random = random ?? Random.Shared;
        var ms = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        _upstreams = recursors.Select(ParseAddress).Select(ep => new Upstream(ep,
            new DnsClient([ep.Address], [new UdpClientTransport(ep.Port), new TcpClientTransport(ep.Port)], false, ms),
            new DnsClient([ep.Address], [new TcpClientTransport(ep.Port)], false, ms))).ToList();
    }

    public int Count => _upstreams.Count;

    /// <summary>The upstreams in the order this query tries them (Consul's RecursorStrategy.Indexes).</summary>
    private Upstream[] TryOrder()
    {
        var order = _upstreams.ToArray();
        if (_strategy != RecursorStrategy.Random || order.Length < 2) return order;
        // Queries run concurrently and a seeded Random is not thread-safe.
        lock (_random) _random.Shuffle(order);
        return order;
    }

    /// <summary>"ip", "ip:port", "[v6]:port" or a bare IPv6 address; port 53 when omitted (Consul's recursorAddr).</summary>
    public static IPEndPoint ParseAddress(string recursor)
    {
        var s = recursor.Trim();
        string host = s, port = "53";
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) throw Invalid(recursor);
            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.StartsWith(':')) port = rest[1..];
            else if (rest != "") throw Invalid(recursor);
        }
        else if (s.Count(c => c == ':') == 1)
        {
            (host, port) = (s[..s.IndexOf(':')], s[(s.IndexOf(':') + 1)..]);
        }
        if (DnsNames.ParseIp(host) is not { } ip || !ushort.TryParse(port, out var p) || p == 0) throw Invalid(recursor);
        return new IPEndPoint(ip, p);
    }

    private static FormatException Invalid(string recursor) => new($"Invalid recursor address: {recursor}");

    /// <summary>The upstream's response re-addressed to <paramref name="query"/>, or null when every recursor failed.</summary>
    public async Task<DnsMessage?> ForwardAsync(DnsMessage query, bool tcp, CancellationToken ct)
    {
        var question = query.Questions[0];
        foreach (var upstream in TryOrder())
        {
            var outgoing = new DnsMessage
            {
                IsRecursionDesired = query.IsRecursionDesired,
                IsCheckingDisabled = query.IsCheckingDisabled,
            };
            outgoing.Questions.Add(question);
            if (query.IsEDnsEnabled && query.EDnsOptions is { } opt)
            {
                outgoing.IsEDnsEnabled = true;
                outgoing.EDnsOptions!.UdpPayloadSize = opt.UdpPayloadSize;
            }
            DnsMessage? reply = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_timeout);
                reply = await (tcp ? upstream.Tcp : upstream.Udp).SendMessageAsync(outgoing, timeout.Token).WaitAsync(timeout.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _log.LogDebug("recurse failed: {Recursor}: {Error}", upstream.EndPoint, e.Message);
            }
            if (reply is null)
            {
                _log.LogDebug("recurse failed for question {Question}: no answer from {Recursor}", question.Name, upstream.EndPoint);
                continue;
            }
            if (reply.ReturnCode is not (ReturnCode.NoError or ReturnCode.NxDomain))
            {
                _log.LogDebug("recurse failed for question {Question}: {Recursor} answered {Rcode}", question.Name, upstream.EndPoint, reply.ReturnCode);
                continue;
            }
            return Readdress(query, reply);
        }
        _log.LogError("all resolvers failed for question {Question}", question.Name);
        return null;
    }

    private static DnsMessage Readdress(DnsMessage query, DnsMessage reply)
    {
        var response = query.CreateResponseInstance();
        response.ReturnCode = reply.ReturnCode;
        response.IsRecursionAllowed = true;
        response.IsAuthoritiveAnswer = reply.IsAuthoritiveAnswer;
        response.IsTruncated = reply.IsTruncated;
        response.IsAuthenticData = reply.IsAuthenticData;
        response.AnswerRecords.AddRange(reply.AnswerRecords);
        response.AuthorityRecords.AddRange(reply.AuthorityRecords);
        response.AdditionalRecords.InsertRange(0, reply.AdditionalRecords.Where(r => r is not OptRecord));
        return response;
    }

    private sealed record Upstream(IPEndPoint EndPoint, DnsClient Udp, DnsClient Tcp);
}
