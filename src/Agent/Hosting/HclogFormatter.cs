using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Consul.Agent.Hosting;

/// <summary>
/// Log lines in Consul's (hclog) style: `2024-05-01T10:00:00.000Z [INFO]  agent: message`.
/// Category names are the subsystem ("agent", "agent.dns", ...); framework categories are
/// shortened so the output stays readable.
/// </summary>
public sealed class HclogFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "hclog";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes, TextWriter writer)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        if (string.IsNullOrEmpty(message) && entry.Exception is null) return;
        writer.WriteLine(Format(TimeProvider.System.GetLocalNow(), entry.LogLevel, entry.Category, message, entry.Exception));
    }

    /// <summary>One log line: time, level, subsystem, message and error.</summary>
    public static string Format(DateTimeOffset time, LogLevel level, string category, string message, Exception? error)
    {
        var tag = level switch
        {
            LogLevel.Trace => "[TRACE]",
            LogLevel.Debug => "[DEBUG]",
            LogLevel.Information => "[INFO] ",
            LogLevel.Warning => "[WARN] ",
            _ => "[ERROR]",
        };
        return $"{HclogTime.Text(time)} {tag} {Body(category, message, error)}";
    }

    /// <summary>A text line without its time and level tag: "agent.x: message", then the error.</summary>
    public static string Body(string category, string message, Exception? error)
    {
        var body = $"{Subsystem(category)}: {message}";
        return error is null ? body : $"{body}: error=\"{error.Message}\"";
    }

    /// <summary>The hclog logger name for a category: "agent..." as is, framework categories shortened.</summary>
    public static string Subsystem(string category) => category switch
    {
        _ when category.StartsWith("agent", StringComparison.Ordinal) => category,
        _ when category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) => "agent.http",
        _ when category.StartsWith("Microsoft.Hosting", StringComparison.Ordinal) => "agent",
        _ => "agent." + category[(category.LastIndexOf('.') + 1)..].ToLowerInvariant(),
    };
}
