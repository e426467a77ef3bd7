using Consul.Core.Model;
using Consul.Core.Util;

namespace Consul.Agent.Config;

/// <summary>
/// Converts decoded service/check definitions (canonical snake_case keys) into the shared
/// model types, collecting Consul's deferred errors (bad durations, meta, weights).
/// </summary>
internal sealed class ServiceDefinitionBuilder(List<string> errors)
{
    private const int DefaultOutputMaxSize = 4096;

    /// <summary>
    /// Checks of kinds the shared model cannot hold (h2ping, os_service) that still need an
    /// interval; kept so validation words their errors as Consul does.
    /// </summary>
    public HashSet<CheckDefinition> OtherIntervalChecks { get; } = new(ReferenceEqualityComparer.Instance);

    public CheckDefinition Check(Dictionary<string, object?> d)
    {
        var t = new ConfigTree(d);
        var id = t.Str("id", "");
        var failuresBeforeCritical = t.Int("failures_before_critical", 0);
        var check = new CheckDefinition
        {
            ID = t.Str("id"),
            Name = t.Str("name"),
            Notes = t.Str("notes"),
            ServiceID = t.Str("service_id"),
            Status = t.Str("status"),
            Args = t.Has("args") ? t.Strings("args").ToList() : null,
            HTTP = t.Str("http"),
            Header = Header(t.Get("header")),
            Method = t.Str("method"),
            Body = t.Str("body"),
            DisableRedirects = t.Bool("disable_redirects", false),
            TLSServerName = t.Str("tls_server_name"),
            TLSSkipVerify = t.Bool("tls_skip_verify", false),
            TCP = t.Str("tcp"),
            UDP = t.Str("udp"),
            GRPC = t.Str("grpc"),
            GRPCUseTLS = t.Bool("grpc_use_tls", false),
            DockerContainerID = t.Str("docker_container_id"),
            Shell = t.Str("shell"),
            AliasNode = t.Str("alias_node"),
            AliasService = t.Str("alias_service"),
            Interval = CheckDuration(t, id, "interval"),
            Timeout = CheckDuration(t, id, "timeout"),
            TTL = CheckDuration(t, id, "ttl"),
            DeregisterCriticalServiceAfter = CheckDuration(t, id, "deregister_critical_service_after"),
            SuccessBeforePassing = t.Int("success_before_passing", 0),
            FailuresBeforeCritical = failuresBeforeCritical,
            FailuresBeforeWarning = t.Int("failures_before_warning", failuresBeforeCritical),
            OutputMaxSize = t.Int("output_max_size", DefaultOutputMaxSize),
        };
        if (!string.IsNullOrEmpty(t.Str("h2ping")) || !string.IsNullOrEmpty(t.Str("os_service")))
            OtherIntervalChecks.Add(check);
        return check;
    }

    public ServiceDefinition Service(Dictionary<string, object?> d)
    {
        var t = new ConfigTree(d);
        var name = t.Str("name", "");
        var checks = t.Objects("checks").Select(Check).ToList();
        if (t.Get("check") is Dictionary<string, object?> single) checks.Add(Check(single));

        var meta = t.StringMap("meta");
        var metaError = MetadataRules.Validate(meta, allowConsulPrefix: false);
        if (metaError is not null)
        {
            errors.Add($"invalid meta for service {name}: {metaError}");
            meta = [];
        }
        var weights = new Weights
        {
            Passing = t.Int("weights.passing", 1),
            Warning = t.Int("weights.warning", 1),
        };
        if (weights.Passing < 1)
            errors.Add($"Invalid weight definition for service {name}: Passing must be greater than 0");
        else if (weights.Warning < 0)
            errors.Add($"Invalid weight definition for service {name}: Warning must be greater or equal than 0");
        if ((t.Has("port") || t.Has("address")) && t.Has("socket_path"))
            errors.Add($"service {name} cannot have both socket path {t.Str("socket_path")} and address/port");

        Dictionary<string, ServiceAddress>? tagged = null;
        if (t.Get("tagged_addresses") is Dictionary<string, object?> ta && ta.Count > 0)
        {
            tagged = new Dictionary<string, ServiceAddress>(StringComparer.Ordinal);
            foreach (var (k, v) in ta)
            {
                var a = new ConfigTree(v as Dictionary<string, object?> ?? []);
                tagged[k] = new ServiceAddress { Address = a.Str("address", ""), Port = a.Int("port", 0) };
            }
        }

        return new ServiceDefinition
        {
            Kind = t.Str("kind") is { Length: > 0 } kind ? kind : null,
            ID = t.Str("id"),
            Name = t.Str("name"),
            Tags = t.Has("tags") ? t.Strings("tags").ToList() : null,
            Address = t.Str("address"),
            TaggedAddresses = tagged,
            Meta = meta,
            Port = t.Int("port", 0),
            Weights = weights,
            EnableTagOverride = t.Bool("enable_tag_override", false),
            Checks = checks,
        };
    }

    /// <summary>Consul's CheckType.Validate, with its messages.</summary>
    public string? ValidateCheck(CheckDefinition c)
    {
        var interval = Parse(c.Interval);
        var ttl = Parse(c.TTL);
        var isAlias = !string.IsNullOrEmpty(c.AliasNode) || !string.IsNullOrEmpty(c.AliasService);
        var intervalCheck = c.EffectiveArgs is { Count: > 0 } || !string.IsNullOrEmpty(c.HTTP) || !string.IsNullOrEmpty(c.TCP)
                            || !string.IsNullOrEmpty(c.UDP) || !string.IsNullOrEmpty(c.GRPC) || OtherIntervalChecks.Contains(c);
        if (interval > TimeSpan.Zero && ttl > TimeSpan.Zero) return "Interval and TTL cannot both be specified";
        if (intervalCheck && interval <= TimeSpan.Zero)
            return "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";
        if (isAlias && ttl > TimeSpan.Zero) return "TTL must be not be set for Alias checks";
        if (!intervalCheck && !isAlias && ttl <= TimeSpan.Zero) return "TTL must be > 0 for TTL checks";
        if (c.OutputMaxSize < 0) return "MaxOutputMaxSize must be positive";
        return null;
    }

    private static TimeSpan Parse(string? d) => GoDuration.TryParse(d, out var v) ? v : TimeSpan.Zero;

    /// <summary>Check durations are validated (errors named "check[id].interval") but kept as Go strings.</summary>
    private string? CheckDuration(ConfigTree t, string id, string key)
    {
        var v = t.Str(key);
        if (v is null) return null;
        if (GoDuration.TryParse(v, out _)) return v;
        var why = v.Length > 0 && v.All(ch => char.IsAsciiDigit(ch) || ch is '.' or '-' or '+')
            ? $"time: missing unit in duration \"{v}\""
            : $"time: invalid duration \"{v}\"";
        errors.Add($"check[{id}].{key}: invalid duration: \"{v}\": {why}");
        return null;
    }

    private static Dictionary<string, List<string>>? Header(object? value)
    {
        if (value is not Dictionary<string, object?> d) return null;
        var h = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (k, v) in d)
            h[k] = v is List<object?> l ? l.OfType<string>().ToList() : [];
        return h;
    }
}
