using System.Net.Sockets;
using ARSoft.Tools.Net.Dns;
using Consul.Core.Model;

namespace Consul.Core.Dns;

/// <summary>
/// Consul's TranslateAddress / TranslateServiceAddress: the "lan_ipv4" / "lan_ipv6" tagged
/// addresses win over the plain address when the question's type accepts that family, so
/// dual-stack nodes answer A and AAAA alike. With <c>wan</c> (translate_wan_addrs, answering for
/// another datacenter) the "wan" tagged address replaces the plain one and "wan_ipv4" /
/// "wan_ipv6" the LAN family addresses.
/// </summary>
internal static class AddressTranslation
{
    private const string LanIPv4 = "lan_ipv4";
    private const string LanIPv6 = "lan_ipv6";
    private const string Wan = "wan";
    private const string WanIPv4 = "wan_ipv4";
    private const string WanIPv6 = "wan_ipv6";

    public static string ForNode(Node node, RecordType qtype, bool wan = false)
    {
        var tags = node.TaggedAddresses;
        if (!wan) return Translate(qtype, node.Address, tags.GetValueOrDefault(LanIPv4), tags.GetValueOrDefault(LanIPv6));
        // Consul: a "wan" entry replaces the address whenever it is present.
        return Translate(qtype, tags.TryGetValue(Wan, out var w) ? w : node.Address, tags.GetValueOrDefault(WanIPv4), tags.GetValueOrDefault(WanIPv6));
    }

    public static string ForService(NodeService svc, RecordType qtype, bool wan = false)
    {
        var tags = svc.TaggedAddresses;
        if (!wan) return Translate(qtype, svc.Address, tags.GetValueOrDefault(LanIPv4)?.Address, tags.GetValueOrDefault(LanIPv6)?.Address);
        return Translate(qtype, tags.TryGetValue(Wan, out var w) ? w.Address : svc.Address, tags.GetValueOrDefault(WanIPv4)?.Address, tags.GetValueOrDefault(WanIPv6)?.Address);
    }

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
