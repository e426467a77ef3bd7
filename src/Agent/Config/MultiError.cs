namespace Consul.Agent.Config;

/// <summary>
/// Formats error lists the way Go's hashicorp/go-multierror and mitchellh/mapstructure do,
/// because Consul's messages embed those texts verbatim.
/// </summary>
internal static class MultiError
{
    /// <summary>go-multierror: "1 error occurred:\n\t* a" (Consul's trailing blank lines are dropped).</summary>
    public static string Format(IReadOnlyList<string> errors)
    {
        var head = errors.Count == 1 ? "1 error occurred:" : $"{errors.Count} errors occurred:";
        return head + "\n\t" + string.Join("\n\t", errors.Select(e => "* " + e));
    }

    /// <summary>mapstructure: "1 error(s) decoding:\n\n* a".</summary>
    public static string FormatDecoding(IReadOnlyList<string> errors) =>
        $"{errors.Count} error(s) decoding:\n\n" + string.Join("\n", errors.Select(e => "* " + e));
}
