namespace Consul.Agent.Hosting;

/// <summary>What a log sink receives per entry: level, category, formatted message, error and the template's fields.</summary>
public delegate void LogLineSink(LogLevel level, string category, string message, Exception? error, IEnumerable<KeyValuePair<string, object?>> fields);

/// <summary>
/// The ILogger of this agent's own providers (log file, syslog, the monitor broadcaster): formats
/// the message and hands the entry to the provider's sink; level filtering is the framework's.
/// </summary>
public sealed class LineSinkLogger(string category, LogLineSink sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var message = formatter(state, exception);
        if (string.IsNullOrEmpty(message) && exception is null) return;
        sink(logLevel, category, message, exception, HclogJsonFormatter.Fields(state));
    }
}
