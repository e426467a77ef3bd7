using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>
/// Consul's trimUDPResponse / trimTCPResponse: cap the answer count and the message size,
/// dropping answers from the end and keeping only the additional records the remaining SRV
/// answers still need.
/// </summary>
internal static class ResponseTrimmer
{
    /// <summary>Consul's hard ceiling on UDP answers without EDNS.</summary>
    public const int MaxUdpAnswerLimit = 8;
    public const int DefaultMaxUdpSize = 512;
    private const int MaxUdpDatagramSize = ushort.MaxValue - 68;
    private const int MaxTcpSize = 65523;
    private const int UdpHeader = 8;

    /// <summary>Trims in place; true when answers were removed.</summary>
    public static bool Trim(DnsMessage query, DnsMessage response, bool tcp, int udpAnswerLimit) =>
        tcp ? TrimTcp(query, response) : TrimUdp(query, response, udpAnswerLimit);

    public static int MaxUdpSize(DnsMessage query)
    {
        var max = DefaultMaxUdpSize;
        if (query.IsEDnsEnabled && query.EDnsOptions is { } opt && opt.UdpPayloadSize > max) max = opt.UdpPayloadSize;
        return Math.Min(max, MaxUdpDatagramSize);
    }

    private static bool TrimUdp(DnsMessage query, DnsMessage response, int udpAnswerLimit)
    {
        var original = response.AnswerRecords.Count;
        var maxSize = MaxUdpSize(query);
        var extras = Extras(response);
        var maxAnswers = Math.Max(1, Math.Min(MaxUdpAnswerLimit, udpAnswerLimit));
        if (maxSize == DefaultMaxUdpSize && original > maxAnswers)
        {
            response.AnswerRecords.RemoveRange(maxAnswers, original - maxAnswers);
            SyncExtra(response, extras);
        }
        ShrinkTo(response, maxSize - UdpHeader, extras);
        return response.AnswerRecords.Count < original;
    }

    private static bool TrimTcp(DnsMessage query, DnsMessage response)
    {
        var original = response.AnswerRecords.Count;
        var extras = Extras(response);
        var truncateAt = query.Questions[0].RecordType == RecordType.Srv ? 1024 : 4096;
        if (original > truncateAt)
        {
            response.AnswerRecords.RemoveRange(truncateAt, original - truncateAt);
            SyncExtra(response, extras);
        }
        ShrinkTo(response, MaxTcpSize, extras);
        return response.AnswerRecords.Count < original;
    }

    private static void ShrinkTo(DnsMessage response, int maxSize, List<DnsRecordBase>? extras)
    {
        if (response.AnswerRecords.Count <= 1 || WireSize.Of(response) <= maxSize) return;
        response.AuthorityRecords.Clear();
        // Largest prefix of the answers that fits (binary search, as Consul's dnsBinaryTruncate).
        var all = response.AnswerRecords.ToList();
        int lo = 1, hi = all.Count;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            SetAnswers(response, all, mid, extras);
            if (WireSize.Of(response) <= maxSize) lo = mid; else hi = mid - 1;
        }
        SetAnswers(response, all, lo, extras);
    }

    private static void SetAnswers(DnsMessage response, List<DnsRecordBase> all, int count, List<DnsRecordBase>? extras)
    {
        response.AnswerRecords.Clear();
        response.AnswerRecords.AddRange(all.Take(count));
        SyncExtra(response, extras);
    }

    /// <summary>The additional records other than OPT, or null when there are none.</summary>
    private static List<DnsRecordBase>? Extras(DnsMessage response)
    {
        var extras = response.AdditionalRecords.Where(r => r is not OptRecord).ToList();
        return extras.Count == 0 ? null : extras;
    }

    /// <summary>Consul's syncExtra: keep, per SRV target, the first extra record of that name (following CNAMEs).</summary>
    private static void SyncExtra(DnsMessage response, List<DnsRecordBase>? extras)
    {
        if (extras is null) return;
        var byName = new Dictionary<string, DnsRecordBase>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in extras) byName.TryAdd(r.Name.ToString(), r);
        var keep = new List<DnsRecordBase>();
        var resolved = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var answer in response.AnswerRecords)
        {
            if (answer is not SrvRecord srv) continue;
            var target = srv.Target.ToString();
            while (resolved.Add(target) && byName.TryGetValue(target, out var extra))
            {
                keep.Add(extra);
                if (extra is not CNameRecord cname) break;
                target = cname.CanonicalName.ToString();
            }
        }
        var opt = response.AdditionalRecords.Where(r => r is OptRecord).ToList();
        response.AdditionalRecords.Clear();
        response.AdditionalRecords.AddRange(keep);
        response.AdditionalRecords.AddRange(opt);
    }
}
