using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Consul.Tests.Fuzz;

/// <summary>Keeps the exceptions the agent logs at error level (the 500 path logs the stack there).</summary>
internal sealed class ServerErrorLog : ILoggerProvider
{
    public ConcurrentQueue<string> Errors { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ServerErrorLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error || exception is null) return;
            if (owner.Errors.Count < 200) owner.Errors.Enqueue($"{category}: {formatter(state, exception)}\n{exception}");
        }
    }
}
