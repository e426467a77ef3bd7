using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Consul.Agent.Config;

/// <summary>One IP address of a network interface.</summary>
public sealed record InterfaceAddress(string Interface, IPAddress Address);

/// <summary>Reads the host's interface addresses (for address templates and advertise detection).</summary>
internal static class HostNetwork
{
    public static IReadOnlyList<InterfaceAddress> Addresses()
    {
        var result = new List<InterfaceAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus is not (OperationalStatus.Up or OperationalStatus.Unknown)) continue;
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
                result.Add(new InterfaceAddress(nic.Name, a.Address));
        }
        return result;
    }

    /// <summary>RFC 1918 and RFC 6598 (shared address space) IPv4, as go-sockaddr's private ranges.</summary>
    public static bool IsPrivateV4(IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetwork) return false;
        var b = ip.GetAddressBytes();
        return b[0] == 10
               || (b[0] == 172 && (b[1] & 0xF0) == 16)
               || (b[0] == 192 && b[1] == 168)
               || (b[0] == 100 && (b[1] & 0xC0) == 64);
    }

    public static bool IsPublic(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip) || IsPrivateV4(ip)) return false;
        if (ip.AddressFamily == AddressFamily.InterNetworkV6)
            return !(ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal || ip.IsIPv6Multicast);
        var b = ip.GetAddressBytes();
        return !(b[0] == 169 && b[1] == 254) && b[0] != 0;
    }
}
