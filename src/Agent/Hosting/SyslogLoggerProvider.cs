using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Consul.Agent.Hosting;

/// <summary>
/// enable_syslog: log lines go to the local syslog daemon over its unix socket (/dev/log on
/// Linux) in the local RFC 3164 form Go's log/syslog writes: "&lt;PRI&gt;Jan _2 15:04:05 consul[pid]: msg".
/// The priority is syslog_facility plus a severity from the level, as Consul's syslog wrapper
/// maps them (TRACE→debug, DEBUG→info, INFO→notice, WARN→warning, ERROR→err).
/// </summary>
[ProviderAlias("Syslog")]
public sealed class SyslogLoggerProvider : ILoggerProvider
{
    /// <summary>Where Go's log/syslog looks for the local daemon, in order.</summary>
    public static readonly string[] LocalSockets = ["/dev/log", "/var/run/syslog", "/var/run/log"];

    private const string Tag = "consul";

    private readonly object _gate = new();
    private readonly string _socketPath;
    private readonly int _facility;
    private readonly bool _json;
    private readonly TimeProvider _time;
    private readonly int _pid = Environment.ProcessId;
    private Socket? _socket;

    private SyslogLoggerProvider(Socket socket, string socketPath, int facility, bool json, TimeProvider time)
    {
        _socket = socket;
        _socketPath = socketPath;
        _facility = facility;
        _json = json;
        _time = time;
    }

    /// <summary>syslog_facility's code (already shifted), or null for a name go-syslog does not know.</summary>
    public static int? FacilityCode(string name) => name.ToUpperInvariant() switch
    {
        // Codes 0-11 and 16-23 of RFC 3164, shifted past the three severity bits.
        "KERN" => 0, "USER" => 1, "MAIL" => 2, "DAEMON" => 3, "AUTH" => 4, "SYSLOG" => 5, "LPR" => 6, "NEWS" => 7,
        "UUCP" => 8, "CRON" => 9, "AUTHPRIV" => 10, "FTP" => 11,
        "LOCAL0" => 16, "LOCAL1" => 17, "LOCAL2" => 18, "LOCAL3" => 19,
        "LOCAL4" => 20, "LOCAL5" => 21, "LOCAL6" => 22, "LOCAL7" => 23,
        _ => (int?)null,
    } is { } code ? code << 3 : null;

    /// <summary>The severity Consul's syslog wrapper gives a level.</summary>
    public static int Severity(LogLevel level) => level switch
    {
        LogLevel.Trace => 7,       // debug
        LogLevel.Debug => 6,       // info
        LogLevel.Information => 5, // notice
        LogLevel.Warning => 4,     // warning
        LogLevel.Error => 3,       // err
        _ => 2,                    // crit
    };

    /// <summary>
    /// Connects to the first local syslog socket that answers (datagram, then stream, as Go
    /// does). Null when there is none; the caller warns and carries on without syslog.
    /// </summary>
    public static SyslogLoggerProvider? Connect(IEnumerable<string> socketPaths, string facility, bool json, TimeProvider time)
    {
        var code = FacilityCode(facility) ?? throw new InvalidOperationException($"Failed to setup logging: invalid syslog facility \"{facility}\"");
        foreach (var path in socketPaths)
            if (TryOpen(path) is { } socket) return new SyslogLoggerProvider(socket, path, code, json, time);
        return null;
    }

    private static Socket? TryOpen(string path)
    {
        foreach (var type in new[] { SocketType.Dgram, SocketType.Stream })
        {
            var socket = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
            try
            {
                socket.Connect(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    /// <summary>One syslog message as sent (stream sockets need the trailing newline, datagrams tolerate it).</summary>
    public static string Message(int priority, DateTimeOffset localTime, int pid, string text)
    {
        // Go's time.Stamp: "Jan _2 15:04:05", the day padded with a space.
        var stamp = localTime.ToString("MMM ", CultureInfo.InvariantCulture)
                    + localTime.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
                    + localTime.ToString(" HH:mm:ss", CultureInfo.InvariantCulture);
        var newline = text.EndsWith('\n') ? "" : "\n";
        return $"<{priority}>{stamp} {Tag}[{pid}]: {text}{newline}";
    }

    public ILogger CreateLogger(string categoryName) => new LineSinkLogger(categoryName, Send);

    public void Dispose()
    {
        lock (_gate)
        {
            _socket?.Dispose();
            _socket = null;
        }
    }

    private void Send(LogLevel level, string category, string message, Exception? error, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var now = _time.GetLocalNow();
        // The text line without its time and level tag, as Consul's wrapper strips them; JSON lines whole.
        var text = _json
            ? HclogJsonFormatter.Format(now, level, category, message, error, fields)
            : HclogFormatter.Body(category, message, error);
        var bytes = Encoding.UTF8.GetBytes(Message(_facility | Severity(level), now, _pid, text));
        lock (_gate)
        {
            // A restarted daemon means a new socket: reconnect once, then drop the line.
            for (var attempt = 0; attempt < 2; attempt++)
            {
                _socket ??= TryOpen(_socketPath);
                if (_socket is null) return;
                try
                {
                    _socket.Send(bytes);
                    return;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    _socket.Dispose();
                    _socket = null;
                }
            }
        }
    }
}
