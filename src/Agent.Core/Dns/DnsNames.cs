using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;

namespace Consul.Core.Dns;

/// <summary>Name helpers: zone matching, Consul's hex "addr" names and reverse (arpa) names.</summary>
internal static class DnsNames
{
    /// <summary>Lower-case labels of a configured domain ("consul." → ["consul"]); empty for none.</summary>
    public static string[] DomainLabels(string? domain) =>
        string.IsNullOrWhiteSpace(domain)
            ? []
            : domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>True when <paramref name="name"/> ends with the given (lower-case) labels.</summary>
    public static bool EndsWith(string[] name, string[] suffix)
    {
        if (suffix.Length == 0 || name.Length < suffix.Length) return false;
        var offset = name.Length - suffix.Length;
        for (var i = 0; i < suffix.Length; i++)
            if (!string.Equals(name[offset + i], suffix[i], StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    public static DomainName Name(params IEnumerable<string> labels) => new(labels.ToArray());

    /// <summary>Consul's encodeIPAsFqdn label: 8 hex digits for IPv4, 32 for IPv6.</summary>
    public static string HexAddress(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return Convert.ToHexStringLower(ip.GetAddressBytes());
    }

    /// <summary>The address in a "&lt;hex&gt;.addr" label, or null when it is not 8 or 32 hex digits.</summary>
    public static IPAddress? ParseHexAddress(string label)
    {
        if (label.Length != 8 && label.Length != 32) return null;
        try { return new IPAddress(Convert.FromHexString(label)); }
        catch (FormatException) { return null; }
    }

    /// <summary>An IP literal (not a host name), normalized; null otherwise.</summary>
    public static IPAddress? ParseIp(string? address)
    {
        if (string.IsNullOrEmpty(address) || !IPAddress.TryParse(address, out var ip)) return null;
        // IPAddress.TryParse accepts "1" or "1.2" as IPv4; Consul (net.ParseIP) does not.
        if (ip.AddressFamily == AddressFamily.InterNetwork && address.Count(c => c == '.') != 3) return null;
        return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
    }

    /// <summary>The address a reverse name stands for (a.b.c.d.in-addr.arpa or 32 nibbles.ip6.arpa).</summary>
    public static IPAddress? ParseReverse(string[] labels)
    {
        if (labels.Length == 6 && EndsWith(labels, ["in-addr", "arpa"]))
        {
            var bytes = new byte[4];
            for (var i = 0; i < 4; i++)
                if (!byte.TryParse(labels[3 - i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i])) return null;
            return new IPAddress(bytes);
        }
        if (labels.Length == 34 && EndsWith(labels, ["ip6", "arpa"]))
        {
            var bytes = new byte[16];
            for (var i = 0; i < 32; i++)
            {
                var label = labels[31 - i];
                if (label.Length != 1 || !Uri.IsHexDigit(label[0])) return null;
                var nibble = Convert.ToByte(label, 16);
                bytes[i / 2] |= (byte)(i % 2 == 0 ? nibble << 4 : nibble);
            }
            return new IPAddress(bytes);
        }
        return null;
    }

    /// <summary>Splits "host.name" into labels for a target name; trailing dot optional.</summary>
    public static string[] SplitFqdn(string name) => name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>RFC 1464 "key=value" text with Consul's escaping, or the raw value for "rfc1035-" keys.</summary>
    public static string MetaText(string key, string value)
    {
        if (key.StartsWith("rfc1035-", StringComparison.OrdinalIgnoreCase)) return value;
        var k = key.Replace("`", "``").Replace("=", "`=");
        var lead = k.Length - k.TrimStart(' ').Length;
        var trimmed = k.Trim(' ');
        var trail = k.Length - lead - trimmed.Length;
        if (trimmed.Length == 0) trail = 0;
        k = string.Concat(Enumerable.Repeat("` ", lead)) + trimmed + string.Concat(Enumerable.Repeat("` ", trail));
        return k + "=" + value.Replace("`", "``");
    }
}
