using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Core.Dns;

/// <summary>
/// Upper bound of a message's encoded size, counting every name uncompressed. ARSoft keeps
/// its encoder internal; an uncompressed count never underestimates, and Consul itself sizes
/// 512-byte UDP answers uncompressed so they stay valid if a middlebox decompresses them.
/// </summary>
internal static class WireSize
{
    private const int HeaderSize = 12;
    private const int RecordFixed = 10; // type, class, ttl, rdlength

    public static int Of(DnsMessage m)
    {
        var size = HeaderSize;
        foreach (var q in m.Questions) size += Name(q.Name) + 4;
        size += Section(m.AnswerRecords) + Section(m.AuthorityRecords) + Section(m.AdditionalRecords);
        return size;
    }

    public static int Section(IEnumerable<DnsRecordBase> records)
    {
        var size = 0;
        foreach (var r in records) size += Record(r);
        return size;
    }

    public static int Record(DnsRecordBase r) => Name(r.Name) + RecordFixed + r switch
    {
        ARecord => 4,
        AaaaRecord => 16,
        SrvRecord srv => 6 + Name(srv.Target),
        TxtRecord txt => txt.TextParts.Sum(p => 1 + System.Text.Encoding.UTF8.GetByteCount(p)),
        SoaRecord soa => Name(soa.MasterName) + Name(soa.ResponsibleName) + 20,
        NsRecord ns => Name(ns.NameServer),
        PtrRecord ptr => Name(ptr.PointerDomainName),
        CNameRecord cname => Name(cname.CanonicalName),
        OptRecord opt => opt.Options.Count * 64, // we never add options; a generous bound if a client's are echoed
        _ => 512,
    };

    public static int Name(DomainName name)
    {
        var size = 1;
        foreach (var label in name.Labels) size += 1 + System.Text.Encoding.UTF8.GetByteCount(label);
        return size;
    }
}
