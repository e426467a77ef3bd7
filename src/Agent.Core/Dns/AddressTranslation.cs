using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;

namespace Consul.Core.Dns;

/// <summary>
/// Consul's TranslateAddress / TranslateServiceAddress for the local datacenter: the
/// "lan_ipv4" / "lan_ipv6" tagged addresses win over the plain address when the question's
/// type accepts that family, so dual-stack nodes answer A and AAAA alike.
/// </summary>
internal static class AddressTranslation
{
    private const string LanIPv4 = "lan_ipv4";
    private const string LanIPv6 = "lan_ipv6";

    public static string ForNode(Node node, RecordType qtype) =>
        Translate(qtype, node.Address, node.TaggedAddresses.GetValueOrDefault(LanIPv4), node.TaggedAddresses.GetValueOrDefault(LanIPv6));

    public static string ForService(NodeService svc, RecordType qtype) =>
        Translate(qtype, svc.Address, svc.TaggedAddresses.GetValueOrDefault(LanIPv4)?.Address, svc.TaggedAddresses.GetValueOrDefault(LanIPv6)?.Address);

    /// <summary>Consul's translateAddressAccept: A accepts IPv4, AAAA IPv6, anything else both (IPv6 first); names always.</summary>
    private static string Translate(RecordType qtype, string address, string? v4, string? v6)
    {
        var acceptV4 = qtype != RecordType.Aaaa;
        var acceptV6 = qtype != RecordType.A;
        if (acceptV6 && !string.IsNullOrEmpty(v6)) return v6;
        if (acceptV4 && !string.IsNullOrEmpty(v4)) return v4;
        if (acceptV4 && acceptV6 && address != "") return address;
        return DnsNames.ParseIp(address) switch
        {
            { AddressFamily: AddressFamily.InterNetwork } when acceptV4 => address,
            { AddressFamily: AddressFamily.InterNetworkV6 } when acceptV6 => address,
            null => address,
            _ => "",
        };
    }
}
