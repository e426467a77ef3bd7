using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// Runs the agent's health checks (Consul's agent.addCheck and agent/checks): one runner per
/// check ID, results sent to the ICheckNotifier. Start does not report an initial status: the
/// agent registers the check with InitialStatus(def) first, as Consul does, and the runner
/// reports from its first probe on (interval checks after a random stagger within Interval).
/// </summary>
public sealed class CheckManager : IAsyncDisposable
{
    private readonly ICheckNotifier _notifier;
    private readonly CheckManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IAliasSource? _alias;
    private readonly Dictionary<string, CheckRunner> _running = new(StringComparer.Ordinal);
    private readonly List<CheckRunner> _retired = [];
    private readonly object _lock = new();
    private bool _disposed;

    public CheckManager(ICheckNotifier notifier, CheckManagerOptions options, TimeProvider time, ILoggerFactory logs, IAliasSource? alias = null)
    {
        _notifier = notifier;
        _options = options;
        _time = time;
        _log = logs.CreateLogger("Consul.Core.Checks");
        _alias = alias;
    }

    /// <summary>
    /// What agent.AddCheck answers for a definition: null if fine, else
    /// "Check is not valid: &lt;reason&gt;" or the "Scripts are disabled ..." text.
    /// scriptChecksAllowed: whether this source may register script/docker checks.
    /// </summary>
    public static string? Validate(CheckDefinition def, bool scriptChecksAllowed)
    {
        var typeError = ValidateType(def);
        if (typeError is not null) return "Check is not valid: " + typeError;
        if (CheckValidation.IsScript(def) && !scriptChecksAllowed) return CheckValidation.ScriptsDisabledLocal;
        return null;
    }

    /// <summary>
    /// Consul's CheckType.Validate text without prefix (null if valid). The HTTP endpoint
    /// /v1/agent/check/register answers 400 "Invalid check: " + this.
    /// </summary>
    public static string? ValidateType(CheckDefinition def) => CheckValidation.ValidateType(def);

    /// <summary>
    /// Validate with this agent's script settings. remote: registered over the HTTP API (needs
    /// enable_script_checks) rather than from config files (either setting).
    /// </summary>
    public string? ValidateForSource(CheckDefinition def, bool remote)
    {
        var typeError = ValidateType(def);
        if (typeError is not null) return "Check is not valid: " + typeError;
        if (!CheckValidation.IsScript(def)) return null;
        if (remote) return _options.EnableScriptChecks ? null : CheckValidation.ScriptsDisabledRemote;
        return _options.EnableScriptChecks || _options.EnableLocalScriptChecks ? null : CheckValidation.ScriptsDisabledLocal;
    }

    /// <summary>Status a check is registered with: its Status if given, else critical.</summary>
    public static string InitialStatus(CheckDefinition def) =>
        string.IsNullOrEmpty(def.Status) ? HealthStatus.Critical : def.Status;

    /// <summary>The runner for a check ID (tests look at its resolved settings).</summary>
    internal CheckRunner? RunnerFor(string checkId)
    {
        lock (_lock) return _running.GetValueOrDefault(checkId);
    }

    /// <summary>IDs of the checks being run.</summary>
    public IReadOnlyCollection<string> Running
    {
        get { lock (_lock) return [.. _running.Keys]; }
    }

    /// <summary>
    /// Starts (or restarts, replacing any check with the same ID) a runner for def. Throws
    /// ArgumentException with Consul's text if the definition is not valid. Script permission
    /// is the caller's decision (Validate / ValidateForSource); definitions without a runner
    /// (none of TTL/HTTP/TCP/UDP/gRPC/script/docker/alias) throw "Check type is not valid".
    /// </summary>
    public void Start(string checkId, CheckDefinition def, string? serviceId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkId);
        var typeError = CheckValidation.ValidateType(def);
        if (typeError is not null) throw new ArgumentException("Check is not valid: " + typeError, nameof(def));
        CheckValidation.TryParseDurations(def, out var durations);

        CheckRunner runner;
        CheckRunner? old;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            runner = Create(checkId, def, serviceId, durations);
            _running.Remove(checkId, out old);
            _running[checkId] = runner;
            if (old is not null) Retire(old);
        }
        // Runners are stopped and started outside the lock: a notifier that calls back into
        // the manager (e.g. to deregister a service) must not deadlock with Stop.
        old?.Stop();
        runner.Start();
    }

    /// <summary>Stops the check; nothing more is reported for it once this returns.</summary>
    public void Stop(string checkId)
    {
        CheckRunner? runner;
        lock (_lock)
        {
            if (!_running.Remove(checkId, out runner)) return;
            Retire(runner);
        }
        runner.Stop();
    }

    /// <summary>
    /// A TTL check's status from the application (PUT /v1/agent/check/pass|warn|fail|update).
    /// Restarts the TTL. Output longer than OutputMaxSize bytes is cut with
    /// " ... (captured N of M bytes)". False if checkId is not a running TTL check.
    /// </summary>
    public bool UpdateTtl(string checkId, string status, string output)
    {
        TtlCheck? ttl;
        lock (_lock) ttl = _running.GetValueOrDefault(checkId) as TtlCheck;
        if (ttl is null) return false;
        ttl.SetStatus(status, output);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        CheckRunner[] running;
        CheckRunner[] all;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            running = [.. _running.Values];
            foreach (var runner in running) Retire(runner);
            _running.Clear();
            all = [.. _retired];
        }
        foreach (var runner in running) runner.Stop();
        await Task.WhenAll(all.Select(r => r.Completion)).ConfigureAwait(false);
    }

    /// <summary>Remembers a stopped runner until its loop has ended, so DisposeAsync can wait for it.</summary>
    private void Retire(CheckRunner runner)
    {
        _retired.RemoveAll(r => r.Completion.IsCompleted);
        _retired.Add(runner);
    }

    private CheckRunner Create(string checkId, CheckDefinition def, string? serviceId, CheckDurations durations)
    {
        var isScript = CheckValidation.IsScript(def);
        var interval = durations.Interval;
        var intervalBased = interval > TimeSpan.Zero && (isScript || !string.IsNullOrEmpty(def.HTTP) || !string.IsNullOrEmpty(def.TCP)
            || !string.IsNullOrEmpty(def.UDP) || !string.IsNullOrEmpty(def.GRPC));
        if (intervalBased && interval < CheckDefaults.MinInterval)
        {
            _log.LogWarning("check has interval below minimum: check={CheckId} minimum_interval={Minimum}", checkId, CheckDefaults.MinInterval);
            interval = CheckDefaults.MinInterval;
        }
        // lib.RandomStagger: first run somewhere in [0, Interval) so checks don't fire together.
        var firstDelay = intervalBased ? TimeSpan.FromTicks(_options.Random.NextInt64(interval.Ticks)) : TimeSpan.Zero;

        var maxOutput = _options.OutputMaxSize > 0 ? _options.OutputMaxSize : CheckDefaults.OutputMaxSize;
        if (def.OutputMaxSize > 0 && maxOutput > def.OutputMaxSize) maxOutput = def.OutputMaxSize;

        var s = new CheckSettings(checkId, serviceId, def, durations, interval, firstDelay, maxOutput, _options, _notifier, _time, _log);

        // Same order as agent.addCheck's switch.
        if (durations.Ttl > TimeSpan.Zero) return new TtlCheck(s);
        if (intervalBased)
        {
            if (!string.IsNullOrEmpty(def.HTTP)) return new HttpCheck(s);
            if (!string.IsNullOrEmpty(def.TCP)) return new TcpCheck(s);
            if (!string.IsNullOrEmpty(def.UDP)) return new UdpCheck(s);
            if (!string.IsNullOrEmpty(def.GRPC)) return new GrpcCheck(s);
            if (isScript && !string.IsNullOrEmpty(def.DockerContainerID)) return new DockerCheck(s);
            if (isScript) return new ScriptCheck(s);
        }
        if (CheckValidation.IsAlias(def))
        {
            if (_alias is null) throw new InvalidOperationException("Alias checks need an IAliasSource");
            return new AliasCheck(s, _alias);
        }
        throw new ArgumentException("Check type is not valid", nameof(def));
    }
}
