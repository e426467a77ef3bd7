using System.Net;
using System.Text.RegularExpressions;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>The per-request half: shuffle, limits, SOA, EDNS and trimming.</summary>
public sealed partial class DnsResolver
{
    /// <summary>Turns a resolved answer into the response to one query: shuffle, limits, SOA, EDNS, trimming.</summary>
    public DnsMessage BuildResponse(DnsMessage query, DnsAnswer answer, bool tcp)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = _options.Recursors.Count > 0;
        response.IsAuthoritiveAnswer = answer.Route == AnswerRoute.Local;
        response.ReturnCode = answer.ReturnCode;
        if (answer.Route != AnswerRoute.Local) return response;

        var groups = answer.Groups.ToList();
        if (answer.Shuffle) Shuffle(groups);
        if (groups.Any(g => g.IsCname))
        {
            // Consul answers with the first CNAME only when no instance had an address record.
            groups = groups.Any(g => !g.IsCname) ? groups.Where(g => !g.IsCname).ToList() : [groups[0]];
        }
        if (answer.LimitAddressRecords && _options.ARecordLimit > 0 && groups.Count > _options.ARecordLimit)
            groups = groups.Take(_options.ARecordLimit).ToList();

        var extras = new List<DnsRecordBase>();
        foreach (var g in groups)
        {
            response.AnswerRecords.AddRange(g.Answers);
            extras.AddRange(g.Extras);
        }
        extras.AddRange(answer.Glue);
        response.AuthorityRecords.AddRange(answer.Authority);

        if (answer.SoaZone is { } zone)
        {
            if (answer.SoaInAnswer) response.AnswerRecords.Insert(0, Soa(zone));
            else if (answer.ReturnCode == ReturnCode.NxDomain || (answer.ReturnCode == ReturnCode.NoError && response.AnswerRecords.Count == 0))
                response.AuthorityRecords.Add(Soa(zone));
        }
        response.AdditionalRecords.InsertRange(0, extras);

        if (ResponseTrimmer.Trim(query, response, tcp, _options.UdpAnswerLimit) && _options.EnableTruncate)
            response.IsTruncated = true;
        return response;
    }

    private SoaRecord Soa(DomainName zone) =>
        DnsRecords.Soa(zone, _options.Soa, (uint)_time.GetUtcNow().ToUnixTimeSeconds());
}
