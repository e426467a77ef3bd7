using Consul.Core.Model;
using Consul.Core.Util;

namespace Consul.Core.Checks;

/// <summary>The durations of a check definition, parsed from Go duration strings.</summary>
internal readonly record struct CheckDurations(TimeSpan Interval, TimeSpan Timeout, TimeSpan Ttl);

/// <summary>
/// Consul's structs.CheckType.Validate and the script permission checks of agent.addCheck,
/// with their exact messages.
/// </summary>
internal static class CheckValidation
{
    public const string ScriptsDisabledLocal =
        "Scripts are disabled on this agent; to enable, configure 'enable_script_checks' or 'enable_local_script_checks' to true";
    public const string ScriptsDisabledRemote =
        "Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true";

    public static bool IsScript(CheckDefinition def) => def.EffectiveArgs is { Count: > 0 };
    public static bool IsAlias(CheckDefinition def) => !string.IsNullOrEmpty(def.AliasNode) || !string.IsNullOrEmpty(def.AliasService);

    /// <summary>Parses Interval, Timeout and TTL; returns Go's error text for a bad one.</summary>
    public static string? TryParseDurations(CheckDefinition def, out CheckDurations durations)
    {
        durations = default;
        if (!TryParse(def.Interval, out var interval, out var error)) return error;
        if (!TryParse(def.Timeout, out var timeout, out error)) return error;
        if (!TryParse(def.TTL, out var ttl, out error)) return error;
        durations = new CheckDurations(interval, timeout, ttl);
        return null;
    }

    /// <summary>structs.CheckType.Validate: null if valid, else its error text (no prefix).</summary>
    public static string? ValidateType(CheckDefinition def)
    {
        var parseError = TryParseDurations(def, out var d);
        if (parseError is not null) return parseError;

        var intervalCheck = IsScript(def) || !string.IsNullOrEmpty(def.HTTP) || !string.IsNullOrEmpty(def.TCP)
            || !string.IsNullOrEmpty(def.UDP) || !string.IsNullOrEmpty(def.GRPC);
        var alias = IsAlias(def);

        if (d.Interval > TimeSpan.Zero && d.Ttl > TimeSpan.Zero) return "Interval and TTL cannot both be specified";
        if (intervalCheck && d.Interval <= TimeSpan.Zero)
            return "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";
        if (intervalCheck && alias) return "Interval cannot be set for Alias checks";
        if (alias && d.Ttl > TimeSpan.Zero) return "TTL must be not be set for Alias checks";
        if (!intervalCheck && !alias && d.Ttl <= TimeSpan.Zero) return "TTL must be > 0 for TTL checks";
        if (def.OutputMaxSize < 0) return "MaxOutputMaxSize must be positive";
        if (def.FailuresBeforeWarning > def.FailuresBeforeCritical)
            return "FailuresBeforeWarning can't be higher than FailuresBeforeCritical";
        return null;
    }

    private static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        error = null;
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return true;
        if (GoDuration.TryParse(text, out value)) return true;
        error = $"time: invalid duration \"{text}\"";
        return false;
    }
}
