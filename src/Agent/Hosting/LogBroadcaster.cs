using System.Threading.Channels;
using Consul.Core.Util;

namespace Consul.Agent.Hosting;

/// <summary>
/// Feeds /v1/agent/monitor: every log entry the agent writes is offered to the current
/// monitors at or above their level. Slow monitors lose their oldest lines, never block logging.
/// </summary>
public sealed class LogBroadcaster : ILoggerProvider
{
    private readonly object _gate = new();
    private readonly List<Monitor> _monitors = new();

    public ILogger CreateLogger(string categoryName) => new LineSinkLogger(categoryName, Publish);

    public Monitor Subscribe(LogLevel level, bool json)
    {
        var m = new Monitor(this, level, json);
        lock (_gate) _monitors.Add(m);
        return m;
    }

    private void Publish(LogLevel level, string category, string message, Exception? error,
        IEnumerable<KeyValuePair<string, object?>> fields)
    {
        Monitor[] targets;
        lock (_gate)
        {
            if (_monitors.Count == 0) return;
            targets = _monitors.ToArray();
        }
        var now = DateTimeOffset.Now;
        foreach (var m in targets)
        {
            if (level < m.Level) continue;
            m.Offer(m.Json
                ? HclogJsonFormatter.Format(now, level, category, message, error, fields)
                : HclogFormatter.Format(now, level, category, message, error));
        }
    }

    public void Dispose() { }

    public sealed class Monitor : IDisposable
    {
        private readonly LogBroadcaster _owner;
        private readonly Channel<string> _lines = Channel.CreateBounded<string>(new BoundedChannelOptions(512) { FullMode = BoundedChannelFullMode.DropOldest });

        internal Monitor(LogBroadcaster owner, LogLevel level, bool json)
        {
            _owner = owner;
            Level = level;
            Json = json;
        }

        public LogLevel Level { get; }
        public bool Json { get; }
        public ChannelReader<string> Lines => _lines.Reader;
        internal void Offer(string line) => _lines.Writer.TryWrite(line);

        public void Dispose()
        {
            lock (_owner._gate) _owner._monitors.Remove(this);
            _lines.Writer.TryComplete();
        }
    }
}
