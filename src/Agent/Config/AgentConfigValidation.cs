using System.Text.RegularExpressions;

namespace Consul.Agent.Config;

/// <summary>Semantic checks after building, in the order and wording of Consul's builder.validate().</summary>
internal sealed partial class AgentConfigBuilder
{
    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex BasicName();

    [GeneratedRegex("^[A-Za-z0-9/_-]+$")]
    private static partial Regex ContentPath();

    [GeneratedRegex(@"^/v\d+/$")]
    private static partial Regex VersionedPath();

    /// <summary>Characters that keep a node name out of DNS (Consul's dns.InvalidNameRe).</summary>
    [GeneratedRegex("[^A-Za-z0-9\\-]+")]
    private static partial Regex InvalidDnsName();

    [GeneratedRegex("[\\s'\"`]")]
    private static partial Regex InvalidNodeName();

    public void Validate(AgentConfig rt)
    {
        if (rt.RaftProtocol != 3)
            throw new ConfigException($"raft_protocol version {rt.RaftProtocol} is not supported by this version of Consul");
        ValidateBasicName("datacenter", rt.Datacenter, allowEmpty: false);
        if (rt.DataDir.Length == 0 && !rt.Dev) throw new ConfigException("data_dir cannot be empty");
        if (!ContentPath().IsMatch(rt.UiContentPath))
            throw new ConfigException($"ui-content-path can only contain alphanumeric, -, _, or /. received: \"{rt.UiContentPath}\"");
        if (VersionedPath().IsMatch(rt.UiContentPath))
            throw new ConfigException($"ui-content-path cannot have 'v[0-9]'. received: \"{rt.UiContentPath}\"");
        if (!rt.Dev && rt.DataDir.Length > 0 && File.Exists(rt.DataDir))
            throw new ConfigException($"data_dir \"{rt.DataDir}\" is not a directory");

        if (rt.NodeName.Length == 0) throw new ConfigException("node_name cannot be empty");
        if (InvalidDnsName().IsMatch(rt.NodeName))
            warnings.Add($"Node name \"{rt.NodeName}\" will not be discoverable via DNS due to invalid characters. Valid characters include all alpha-numerics and dashes.");
        else if (InvalidNodeName().IsMatch(rt.NodeName))
            warnings.Add($"Found invalid characters in node name \"{rt.NodeName}\" - whitespace and quotes (', \", `) cannot be used with auto-config.");
        else if (rt.NodeName.Length > 63)
            warnings.Add($"Node name \"{rt.NodeName}\" will not be discoverable via DNS due to it being too long. Valid lengths are between 1 and 63 bytes.");

        if (GoIp.IsAny(rt.AdvertiseAddr)) throw new ConfigException("Advertise address cannot be 0.0.0.0, :: or [::]");
        if (GoIp.IsAny(rt.AdvertiseAddrWan)) throw new ConfigException("Advertise WAN address cannot be 0.0.0.0, :: or [::]");
        if (rt.Addresses.Dns?.Split(' ').Any(a => a.StartsWith("unix://", StringComparison.Ordinal)) == true)
            throw new ConfigException("DNS address cannot be a unix socket");
        if (rt.Recursors.Any(GoIp.IsAny)) throw new ConfigException("DNS recursor address cannot be 0.0.0.0, :: or [::]");
        if (rt.AltDomain.Length > 0 && Regex.IsMatch(rt.AltDomain,
                $"^(service|connect|node|query|addr|{Regex.Escape(rt.Datacenter)})\\.({Regex.Escape(rt.Datacenter)}\\.)?"))
            throw new ConfigException($"alt_domain cannot start with {{service,connect,node,query,addr,{rt.Datacenter}}}");
        if (rt.Bootstrap && !rt.Server) throw new ConfigException("'bootstrap = true' requires 'server = true'");
        if (rt.BootstrapExpect < 0)
            throw new ConfigException($"bootstrap_expect cannot be {rt.BootstrapExpect}. Must be greater than or equal to zero");
        if (rt.BootstrapExpect > 0 && !rt.Server) throw new ConfigException("'bootstrap_expect > 0' requires 'server = true'");
        if (rt.BootstrapExpect > 0 && rt.Dev) throw new ConfigException("'bootstrap_expect > 0' not allowed in dev mode");
        if (rt.BootstrapExpect > 0 && rt.Bootstrap)
            throw new ConfigException("'bootstrap_expect > 0' and 'bootstrap = true' are mutually exclusive");
        if (rt.CheckOutputMaxSize < 1)
            throw new ConfigException("check_output_max_size must be positive, to discard check output use the discard_check_output flag");
        if (rt.Autopilot.MaxTrailingLogs < 0)
            throw new ConfigException($"autopilot.max_trailing_logs cannot be {rt.Autopilot.MaxTrailingLogs}. Must be greater than or equal to zero");
        ValidateBasicName("primary_datacenter", rt.PrimaryDatacenter, allowEmpty: true);
        if (!rt.Dev && rt.UiEnabled && rt.UiDir.Length > 0)
            throw new ConfigException(
                "Both the ui_config.enabled and ui_config.dir (or -ui and -ui-dir) were specified, please provide only one.\n" +
                "If trying to use your own web UI resources, use ui_config.dir or the -ui-dir flag.\n" +
                "The web UI is included in the binary so use ui_config.enabled or the -ui flag to enable it");
        if (rt.Dns.UdpAnswerLimit < 0)
            throw new ConfigException($"dns_config.udp_answer_limit cannot be {rt.Dns.UdpAnswerLimit}. Must be greater than or equal to zero");
        if (rt.Dns.ARecordLimit < 0)
            throw new ConfigException($"dns_config.a_record_limit cannot be {rt.Dns.ARecordLimit}. Must be greater than or equal to zero");
        if (MetadataRules.Validate(rt.NodeMeta, allowConsulPrefix: false) is { } metaError)
            throw new ConfigException($"node_meta invalid: {metaError}");
        if (rt.Encrypt is not null && GossipKey.Base64Error(rt.Encrypt) is { } keyError)
            throw new ConfigException($"encrypt has invalid key: {keyError}");

        ValidateUniqueAddresses(rt);
        if (_err.Count > 0) throw new ConfigException(MultiError.Format(_err));

        foreach (var s in rt.Services)
            foreach (var ch in s.Checks ?? [])
                if (_services.ValidateCheck(ch) is { } err)
                    throw new ConfigException($"service \"{s.Name}\": check \"{ch.Name}\": {err}");
        foreach (var ch in rt.Checks)
            if (_services.ValidateCheck(ch) is { } err)
                throw new ConfigException($"check \"{ch.Name}\": {err}");

        AddWarnings(rt);
    }

    private void AddWarnings(AgentConfig rt)
    {
        if (rt.Server && !rt.Dev && !rt.Bootstrap && rt.BootstrapExpect == 2)
            warnings.Add("bootstrap_expect = 2: A cluster with 2 servers will provide no failure tolerance. See https://www.consul.io/docs/internals/consensus.html#deployment-table");
        if (rt.Server && !rt.Bootstrap && rt.BootstrapExpect > 2 && rt.BootstrapExpect % 2 == 0)
            warnings.Add("bootstrap_expect is even number: A cluster with an even number of servers does not achieve optimum fault tolerance. See https://www.consul.io/docs/internals/consensus.html#deployment-table");
        if (rt.Server && rt.Bootstrap && rt.BootstrapExpect == 0)
            warnings.Add("bootstrap = true: do not enable unless necessary");
        if (rt.Server && !rt.Dev && !rt.Bootstrap && rt.BootstrapExpect > 1)
            warnings.Add($"bootstrap_expect > 0: expecting {rt.BootstrapExpect} servers");
        if (rt.EnableScriptChecks && !rt.Acl.Enabled && rt.Http.AllowWriteHttpFrom.Count == 0)
            warnings.Add("using enable-script-checks without ACLs and without allow_write_http_from is DANGEROUS, use enable-local-script-checks instead, see https://www.hashicorp.com/blog/protecting-consul-from-rce-risk-in-specific-configurations/");
    }

    private static void ValidateBasicName(string field, string value, bool allowEmpty)
    {
        if (value.Length == 0)
        {
            if (allowEmpty) return;
            throw new ConfigException($"{field} cannot be empty");
        }
        if (!BasicName().IsMatch(value))
            throw new ConfigException($"{field} can only contain lowercase alphanumeric, - or _ characters. received: \"{value}\"");
    }

    /// <summary>Two listeners on the same network address (Consul's addrsUnique).</summary>
    private static void ValidateUniqueAddresses(AgentConfig rt)
    {
        var inUse = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string network, string addr)
        {
            var key = network + ":" + addr;
            if (inUse.TryGetValue(key, out var other))
                throw new ConfigException($"{name} address {addr} already configured for {other}");
            inUse[key] = name;
        }
        IEnumerable<string> Listeners(string? overrides, int port) => port <= 0
            ? []
            : (overrides?.Split(' ') ?? rt.ClientAddrs.ToArray())
                .Select(a => a.StartsWith("unix://", StringComparison.Ordinal) ? a : GoIp.HostPort(a, port));

        var dns = Listeners(rt.Addresses.Dns, rt.Ports.Dns).ToList();
        foreach (var a in dns) Add("DNS", a.StartsWith("unix://", StringComparison.Ordinal) ? "unix" : "tcp", a);
        foreach (var a in dns.Where(a => !a.StartsWith("unix://", StringComparison.Ordinal))) Add("DNS", "udp", a);
        foreach (var a in Listeners(rt.Addresses.Http, rt.Ports.Http)) Add("HTTP", a.StartsWith("unix://", StringComparison.Ordinal) ? "unix" : "tcp", a);
        foreach (var a in Listeners(rt.Addresses.Https, rt.Ports.Https)) Add("HTTPS", a.StartsWith("unix://", StringComparison.Ordinal) ? "unix" : "tcp", a);
        Add("RPC Advertise", "tcp", GoIp.HostPort(rt.AdvertiseAddr, rt.Ports.Server));
        Add("Serf Advertise LAN", "tcp", GoIp.HostPort(rt.AdvertiseAddr, rt.Ports.SerfLan));
        if (rt.Ports.SerfWan > 0) Add("Serf Advertise WAN", "tcp", GoIp.HostPort(rt.AdvertiseAddrWan, rt.Ports.SerfWan));
    }
}
