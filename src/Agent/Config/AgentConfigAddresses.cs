namespace Consul.Agent.Config;

/// <summary>Address expansion as in Consul's builder: go-sockaddr templates, IP checks, advertise detection.</summary>
internal sealed partial class AgentConfigBuilder
{
    private static IEnumerable<string> Fields(string s) => s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static string? JoinOrNull(List<string> addrs) => addrs.Count == 0 ? null : string.Join(" ", addrs);

    /// <summary>Consul's expandAddrs: template, then IPs or unix:// paths; errors are deferred.</summary>
    private List<string> ExpandAddrs(string name, string? s)
    {
        if (string.IsNullOrEmpty(s)) return [];
        string expanded;
        try { expanded = AddressTemplate.Expand(s, options.Addresses); }
        catch (FormatException e)
        {
            _err.Add($"{name}: error parsing \"{s}\": {e.Message}");
            return [];
        }
        var result = new List<string>();
        foreach (var a in Fields(expanded))
        {
            if (a.StartsWith("unix://", StringComparison.Ordinal)) { result.Add(a); continue; }
            var text = a == "[::]" ? "::" : a;
            if (!GoIp.TryParse(text, out var ip))
            {
                _err.Add($"{name}: invalid ip address: {a}");
                return [];
            }
            result.Add(ip.ToString());
        }
        return result;
    }

    private List<string> ExpandIps(string name, string? s)
    {
        var addrs = ExpandAddrs(name, s);
        if (addrs.Any(a => a.StartsWith("unix://", StringComparison.Ordinal)))
        {
            _err.Add($"{name} cannot be a unix socket");
            return [];
        }
        return addrs;
    }

    private string? ExpandFirstIp(string name, string? s)
    {
        var addrs = ExpandAddrs(name, s);
        if (addrs.Count == 0) return null;
        if (addrs.Count > 1)
        {
            _err.Add($"{name}: multiple addresses found: {string.Join(" ", addrs)}");
            return null;
        }
        if (addrs[0].StartsWith("unix://", StringComparison.Ordinal))
        {
            _err.Add($"{name} cannot be a unix socket");
            return null;
        }
        return addrs[0];
    }

    /// <summary>retry_join entries may be go-discover strings: only templates are expanded.</summary>
    private IReadOnlyList<string> ExpandOptional(string name)
    {
        var result = new List<string>();
        foreach (var a in c.Strings(name))
        {
            try
            {
                var x = AddressTemplate.Expand(a, options.Addresses);
                if (x != a) result.AddRange(Fields(x));
                else if (a.Length > 0) result.Add(a);
            }
            catch (FormatException e)
            {
                _err.Add($"{name}: error parsing \"{a}\": {e.Message}");
            }
        }
        return result;
    }

    /// <summary>Bound to 0.0.0.0 or ::, advertise the single private IPv4 / public IPv6 of the host.</summary>
    private string DetectAdvertise(string any)
    {
        var v6 = any.Contains(':');
        var kind = v6 ? "public IPv6" : "private IPv4";
        IReadOnlyList<InterfaceAddress> all;
        try { all = options.Addresses(); }
        catch (Exception e) { throw new ConfigException($"Error detecting {kind} address: {e.Message}"); }
        var found = all.Select(a => a.Address)
            .Where(ip => v6
                ? ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && HostNetwork.IsPublic(ip)
                : HostNetwork.IsPrivateV4(ip))
            .Select(ip => ip.ToString())
            .Distinct()
            .ToList();
        if (found.Count == 0) throw new ConfigException($"No {kind} address found");
        if (found.Count > 1)
            throw new ConfigException($"Multiple {kind} addresses found. Please configure one with 'bind' and/or 'advertise'.");
        return found[0];
    }
}
