using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>Where a question goes: answered from the catalog, forwarded upstream, or refused.</summary>
public enum AnswerRoute
{
    Local,
    Recurse,
    Refused,
    /// <summary>About another datacenter: answered from a lookup there (<see cref="DnsAnswer.Remote"/>).</summary>
    Remote,
}

/// <summary>The records one service instance (or node) contributes; shuffled and limited as a unit.</summary>
public sealed record RecordGroup(IReadOnlyList<DnsRecordBase> Answers, IReadOnlyList<DnsRecordBase> Extras, bool IsCname = false);

/// <summary>
/// A resolved question before per-request work (shuffle, limits, EDNS, trimming). Depends only
/// on the question and the catalog snapshot, so it can be cached until the catalog changes.
/// The SOA is added when the response is built because its serial is the current time.
/// </summary>
public sealed record DnsAnswer
{
    public AnswerRoute Route { get; init; } = AnswerRoute.Local;
    public ReturnCode ReturnCode { get; init; } = ReturnCode.NoError;
    public IReadOnlyList<RecordGroup> Groups { get; init; } = [];
    /// <summary>Name servers for the authority section and their glue.</summary>
    public IReadOnlyList<DnsRecordBase> Authority { get; init; } = [];
    public IReadOnlyList<DnsRecordBase> Glue { get; init; } = [];
    /// <summary>Shuffle the groups per response (service lookups).</summary>
    public bool Shuffle { get; init; }
    /// <summary>Apply a_record_limit to the groups (service A/AAAA lookups).</summary>
    public bool LimitAddressRecords { get; init; }
    /// <summary>Answer with the zone's SOA (SOA questions).</summary>
    public bool SoaInAnswer { get; init; }
    /// <summary>Zone whose SOA goes in the answer or authority section (NXDOMAIN, NODATA, SOA questions).</summary>
    public DomainName? SoaZone { get; init; }
    /// <summary>What to fetch from another datacenter when <see cref="Route"/> is <see cref="AnswerRoute.Remote"/>.</summary>
    public RemoteLookup? Remote { get; init; }

    public static DnsAnswer Refused { get; } = new() { Route = AnswerRoute.Refused, ReturnCode = ReturnCode.Refused };
    public static DnsAnswer Recurse { get; } = new() { Route = AnswerRoute.Recurse };
}
