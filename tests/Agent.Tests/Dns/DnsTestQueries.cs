using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Tests.Dns;

internal static class DnsTestQueries
{
    public static DnsMessage Query(string name, RecordType type, ushort? ednsSize = null, ushort id = 4242)
    {
        var query = new DnsMessage { TransactionID = id, IsRecursionDesired = true };
        query.Questions.Add(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet));
        if (ednsSize is { } size)
        {
            query.IsEDnsEnabled = true;
            query.EDnsOptions!.UdpPayloadSize = size;
        }
        return query;
    }

    public static List<string> Addresses(DnsMessage m) =>
        m.AnswerRecords.OfType<ARecord>().Select(a => a.Address.ToString())
            .Concat(m.AnswerRecords.OfType<AaaaRecord>().Select(a => a.Address.ToString()))
            .Order(StringComparer.Ordinal).ToList();
}
