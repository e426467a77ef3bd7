using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Gossip;

/// <summary>Collects log lines so tests can check what an agent said.</summary>
internal sealed class ListLogger(string name = "") : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Lines.Enqueue($"[{logLevel}] {name} {formatter(state, exception)}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));
}
