using System.Net;
using System.Net.Sockets;

namespace Consul.Agent.Config;

/// <summary>Go's net.ParseIP rules (strict dotted quads, IPv6 without zone), and Consul's "any" check.</summary>
internal static class GoIp
{
    public static bool TryParse(string text, out IPAddress ip)
    {
        ip = IPAddress.None;
        if (text.Contains(':'))
        {
            if (text.Contains('%') || text.Contains('[')) return false;
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            ip = v6;
            return true;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return false;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            var p = parts[i];
            if (p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')) return false;
            var n = int.Parse(p, System.Globalization.CultureInfo.InvariantCulture);
            if (n > 255) return false;
            bytes[i] = (byte)n;
        }
        ip = new IPAddress(bytes);
        return true;
    }

    /// <summary>Consul's ipaddr.IsAny: 0.0.0.0, :: or [::].</summary>
    public static bool IsAny(string? text) =>
        text is "0.0.0.0" or "::" or "[::]" || (text is not null && TryParse(text, out var ip) && IsAny(ip));

    public static bool IsAny(IPAddress ip) => ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);

    /// <summary>host:port the way Go's net.TCPAddr prints it.</summary>
    public static string HostPort(string ip, int port) => ip.Contains(':') ? $"[{ip}]:{port}" : $"{ip}:{port}";
}
