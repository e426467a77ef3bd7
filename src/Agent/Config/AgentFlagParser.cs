using System.Globalization;

namespace Consul.Agent.Config;

/// <summary>
/// Parses `consul agent` flags with Go's flag package rules: one or two dashes,
/// "-name=value" or "-name value", booleans as "-name" or "-name=false", parsing stops at
/// the first non-flag argument or "--". Flag names and targets follow agent/config/flags.go.
/// </summary>
internal static class AgentFlagParser
{
    private enum Kind { Bool, Int, String, Slice, Map, ConfigPath, ConfigFormat, Dev, Hcl }

    private static readonly Dictionary<string, (Kind Kind, string Key)> Flags = new(StringComparer.Ordinal)
    {
        ["advertise"] = (Kind.String, "advertise_addr"),
        ["advertise-wan"] = (Kind.String, "advertise_addr_wan"),
        ["allow-write-http-from"] = (Kind.Slice, "http_config.allow_write_http_from"),
        ["alt-domain"] = (Kind.String, "alt_domain"),
        ["auto-reload-config"] = (Kind.Bool, "auto_reload_config"),
        ["bind"] = (Kind.String, "bind_addr"),
        ["bootstrap"] = (Kind.Bool, "bootstrap"),
        ["bootstrap-expect"] = (Kind.Int, "bootstrap_expect"),
        ["check_output_max_size"] = (Kind.Int, "check_output_max_size"),
        ["client"] = (Kind.String, "client_addr"),
        ["config-dir"] = (Kind.ConfigPath, ""),
        ["config-file"] = (Kind.ConfigPath, ""),
        ["config-format"] = (Kind.ConfigFormat, ""),
        ["data-dir"] = (Kind.String, "data_dir"),
        ["datacenter"] = (Kind.String, "datacenter"),
        ["default-query-time"] = (Kind.String, "default_query_time"),
        ["dev"] = (Kind.Dev, ""),
        ["disable-host-node-id"] = (Kind.Bool, "disable_host_node_id"),
        ["disable-keyring-file"] = (Kind.Bool, "disable_keyring_file"),
        ["dns-port"] = (Kind.Int, "ports.dns"),
        ["domain"] = (Kind.String, "domain"),
        ["enable-local-script-checks"] = (Kind.Bool, "enable_local_script_checks"),
        ["enable-script-checks"] = (Kind.Bool, "enable_script_checks"),
        ["encrypt"] = (Kind.String, "encrypt"),
        ["grpc-port"] = (Kind.Int, "ports.grpc"),
        ["grpc-tls-port"] = (Kind.Int, "ports.grpc_tls"),
        ["hcl"] = (Kind.Hcl, ""),
        ["http-port"] = (Kind.Int, "ports.http"),
        ["https-port"] = (Kind.Int, "ports.https"),
        ["join"] = (Kind.Slice, "start_join"),
        ["join-wan"] = (Kind.Slice, "start_join_wan"),
        ["log-file"] = (Kind.String, "log_file"),
        ["log-json"] = (Kind.Bool, "log_json"),
        ["log-level"] = (Kind.String, "log_level"),
        ["log-rotate-bytes"] = (Kind.Int, "log_rotate_bytes"),
        ["log-rotate-duration"] = (Kind.String, "log_rotate_duration"),
        ["log-rotate-max-files"] = (Kind.Int, "log_rotate_max_files"),
        ["max-query-time"] = (Kind.String, "max_query_time"),
        ["node"] = (Kind.String, "node_name"),
        ["node-id"] = (Kind.String, "node_id"),
        ["node-meta"] = (Kind.Map, "node_meta"),
        ["non-voting-server"] = (Kind.Bool, "read_replica"),
        ["pid-file"] = (Kind.String, "pid_file"),
        ["primary-gateway"] = (Kind.Slice, "primary_gateways"),
        ["protocol"] = (Kind.Int, "protocol"),
        ["raft-protocol"] = (Kind.Int, "raft_protocol"),
        ["read-replica"] = (Kind.Bool, "read_replica"),
        ["recursor"] = (Kind.Slice, "recursors"),
        ["rejoin"] = (Kind.Bool, "rejoin_after_leave"),
        ["retry-interval"] = (Kind.String, "retry_interval"),
        ["retry-interval-wan"] = (Kind.String, "retry_interval_wan"),
        ["retry-join"] = (Kind.Slice, "retry_join"),
        ["retry-join-wan"] = (Kind.Slice, "retry_join_wan"),
        ["retry-max"] = (Kind.Int, "retry_max"),
        ["retry-max-wan"] = (Kind.Int, "retry_max_wan"),
        ["segment"] = (Kind.String, "segment"),
        ["serf-lan-allowed-cidrs"] = (Kind.Slice, "serf_lan_allowed_cidrs"),
        ["serf-lan-bind"] = (Kind.String, "serf_lan"),
        ["serf-lan-port"] = (Kind.Int, "ports.serf_lan"),
        ["serf-wan-allowed-cidrs"] = (Kind.Slice, "serf_wan_allowed_cidrs"),
        ["serf-wan-bind"] = (Kind.String, "serf_wan"),
        ["serf-wan-port"] = (Kind.Int, "ports.serf_wan"),
        ["server"] = (Kind.Bool, "server"),
        ["server-port"] = (Kind.Int, "ports.server"),
        ["syslog"] = (Kind.Bool, "enable_syslog"),
        ["ui"] = (Kind.Bool, "ui_config.enabled"),
        ["ui-content-path"] = (Kind.String, "ui_config.content_path"),
        ["ui-dir"] = (Kind.String, "ui_config.dir"),
    };

    /// <summary>Go's flag.ErrHelp text, raised for -h / -help.</summary>
    public const string HelpRequested = "help requested";

    /// <summary>Short usage text listing the agent's flags.</summary>
    public static string Usage =>
        "Usage: consul agent [options]\n\n  Starts the Consul agent and runs until an interrupt is received. The\n" +
        "  agent represents a single node in a cluster.\n\nOptions:\n\n" +
        string.Join("\n", Flags.Keys.Order(StringComparer.Ordinal).Select(n => "  -" + n));

    /// <summary>Parses <paramref name="args"/>; throws with "error parsing flags: ..." like `consul agent`.</summary>
    public static AgentFlags Parse(IReadOnlyList<string> args)
    {
        var result = new AgentFlags();
        var i = 0;
        while (i < args.Count)
        {
            var arg = args[i];
            if (arg.Length < 2 || arg[0] != '-') break;
            var numMinuses = 1;
            if (arg[1] == '-')
            {
                numMinuses = 2;
                if (arg.Length == 2) { i++; break; } // "--" ends the flags
            }
            var name = arg[numMinuses..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
                throw Fail($"bad flag syntax: {arg}");
            i++;
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (!Flags.TryGetValue(name, out var flag))
            {
                if (name is "help" or "h") throw new ConfigException(HelpRequested);
                throw Fail($"flag provided but not defined: -{name}");
            }
            if (flag.Kind is Kind.Bool or Kind.Dev)
            {
                var b = true;
                if (value is not null && !TryParseGoBool(value, out b))
                    throw Fail($"invalid boolean value \"{value}\" for -{name}: strconv.ParseBool: parsing \"{value}\": invalid syntax");
                if (flag.Kind == Kind.Dev) result.Dev = b;
                else new ConfigTree(result.Values).Set(flag.Key, b);
                continue;
            }
            if (value is null)
            {
                if (i >= args.Count) throw Fail($"flag needs an argument: -{name}");
                value = args[i++];
            }
            Apply(result, name, flag, value);
        }
        if (i < args.Count)
            throw new ConfigException($"Unexpected extra arguments: [{string.Join(" ", args.Skip(i))}]");
        return result;
    }

    private static void Apply(AgentFlags result, string name, (Kind Kind, string Key) flag, string value)
    {
        switch (flag.Kind)
        {
            case Kind.Int:
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                {
                    var why = value.Length > 0 && value.TrimStart('-', '+').All(char.IsAsciiDigit) ? "value out of range" : "invalid syntax";
                    throw Fail($"invalid value \"{value}\" for flag -{name}: strconv.Atoi: parsing \"{value}\": {why}");
                }
                new ConfigTree(result.Values).Set(flag.Key, (long)n);
                break;
            case Kind.String:
                new ConfigTree(result.Values).Set(flag.Key, value);
                break;
            case Kind.Slice:
                // Top-level lists go first (before files); nested ones travel with the values, as in Consul.
                var target = flag.Key.Contains('.') ? result.Values : result.Slices;
                var tree = new ConfigTree(target);
                if (tree.Get(flag.Key) is not List<object?> list) { list = []; tree.Set(flag.Key, list); }
                list.Add(value);
                break;
            case Kind.Map:
                var meta = new ConfigTree(result.Values);
                if (meta.Get(flag.Key) is not Dictionary<string, object?> map)
                {
                    map = new Dictionary<string, object?>(StringComparer.Ordinal);
                    meta.Set(flag.Key, map);
                }
                var colon = value.IndexOf(':');
                if (colon < 0) map[value] = "";
                else map[value[..colon]] = value[(colon + 1)..];
                break;
            case Kind.ConfigPath:
                result.ConfigFiles.Add(value);
                break;
            case Kind.ConfigFormat:
                result.ConfigFormat = value;
                break;
            case Kind.Hcl:
                result.Hcl.Add(value);
                break;
        }
    }

    /// <summary>Go's strconv.ParseBool.</summary>
    internal static bool TryParseGoBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True": value = true; return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False": value = false; return true;
            default: value = false; return false;
        }
    }

    private static ConfigException Fail(string message) => new($"error parsing flags: {message}");
}
