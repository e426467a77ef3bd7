using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Consul.Agent.Hosting;

/// <summary>
/// Log lines as hclog writes them with log_json: one JSON object per line with "@level",
/// "@message", "@module", "@timestamp", the structured values of the message template as
/// further fields and "error" for an exception. Keys come out sorted, as Go's encoding/json
/// writes hclog's map.
/// </summary>
public sealed class HclogJsonFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "hclog-json";

    private const string TemplateKey = "{OriginalFormat}";

    public override void Write<TState>(in LogEntry<TState> entry, IExternalScopeProvider? scopes, TextWriter writer)
    {
        var message = entry.Formatter(entry.State, entry.Exception);
        if (string.IsNullOrEmpty(message) && entry.Exception is null) return;
        writer.WriteLine(Format(TimeProvider.System.GetLocalNow(), entry.LogLevel, entry.Category, message, entry.Exception, Fields(entry.State)));
    }

    /// <summary>The key/value pairs of a structured log state (the template's placeholders and the template).</summary>
    public static IEnumerable<KeyValuePair<string, object?>> Fields<TState>(TState state) =>
        state as IEnumerable<KeyValuePair<string, object?>> ?? [];

    /// <summary>One JSON log line (without the newline); the "{OriginalFormat}" template is left out.</summary>
    public static string Format(DateTimeOffset time, LogLevel level, string category, string message, Exception? error,
        IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var map = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in fields)
            if (key != TemplateKey) map[key] = ValueOf(value);
        if (error is not null) map["error"] = error.Message;
        map["@level"] = LevelName(level);
        map["@message"] = message;
        map["@module"] = HclogFormatter.Subsystem(category);
        map["@timestamp"] = HclogTime.Json(time);
        var json = new JsonObject();
        foreach (var (key, value) in map) json[key] = value;
        return json.ToJsonString();
    }

    public static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        _ => "error",
    };

    // Numbers and booleans stay JSON numbers and booleans; everything else is its text.
    private static JsonNode? ValueOf(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        int or long or short or byte or uint or ushort or sbyte => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        ulong u => JsonValue.Create(u),
        decimal m => JsonValue.Create(m),
        double or float when double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)) =>
            JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
