using System.Globalization;

namespace Consul.Core.Checks;

/// <summary>Go's net.SplitHostPort for "host:port" and "[v6]:port" targets.</summary>
internal static class HostPort
{
    public static bool TryParse(string address, out string host, out int port, out string error)
    {
        host = "";
        port = 0;
        error = "";
        int colon;
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']');
            if (close < 0) { error = $"address {address}: missing ']' in address"; return false; }
            host = address[1..close];
            if (close + 1 >= address.Length || address[close + 1] != ':') { error = $"address {address}: missing port in address"; return false; }
            colon = close + 1;
        }
        else
        {
            colon = address.LastIndexOf(':');
            if (colon < 0) { error = $"address {address}: missing port in address"; return false; }
            host = address[..colon];
            if (host.Contains(':')) { error = $"address {address}: too many colons in address"; return false; }
        }
        var portText = address[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            error = $"address {address}: invalid port";
            return false;
        }
        if (host.Length == 0) host = "localhost";
        return true;
    }
}
