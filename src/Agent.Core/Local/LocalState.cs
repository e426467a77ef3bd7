using Consul.Core.Checks;
using Consul.Core.Model;

namespace Consul.Core.Local;

/// <summary>A service this agent owns, with the token it was registered with.</summary>
public sealed record LocalService(NodeService Service, string Token);

/// <summary>A check this agent owns: its current state, how it is run, and when it went critical.</summary>
public sealed record LocalCheck(HealthCheck Check, CheckDefinition? Definition, string Token)
{
    public TimeSpan? DeregisterCriticalServiceAfter { get; init; }
    public DateTimeOffset? CriticalSince { get; init; }
    /// <summary>
    /// Only the output changed and its push to the catalog waits for the check_update_interval
    /// timer; until then anti-entropy ignores the output difference (Consul's DeferCheck).
    /// </summary>
    public bool OutputSyncDeferred { get; init; }
}

/// <summary>
/// The services and checks this agent owns (Consul's agent/local.State). The HTTP agent
/// endpoints read and write it; <see cref="AntiEntropy"/> makes the catalog match it.
/// Every change bumps <see cref="Version"/> and wakes waiters.
/// </summary>
public sealed class LocalState : ICheckNotifier
{
    public const string NodeMaintenanceCheckId = "_node_maintenance";
    public const string ServiceMaintenancePrefix = "_service_maintenance:";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, LocalService> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LocalCheck> _checks = new(StringComparer.Ordinal);
    private readonly LocalStateOptions _options;
    /// <summary>Pending output pushes by check ID (at most one timer per check).</summary>
    private readonly Dictionary<string, ITimer> _deferredOutput = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = NewSignal();
    private long _version;

    public LocalState(AgentIdentity identity, TimeProvider time, LocalStateOptions? options = null)
    {
        Identity = identity;
        _time = time;
        _options = options ?? new LocalStateOptions();
    }

    public AgentIdentity Identity { get; }

    public long Version { get { lock (_gate) return _version; } }

    /// <summary>Completes at the next change after this call.</summary>
    public Task WaitForChange() { lock (_gate) return _changed.Task; }

    public IReadOnlyList<LocalService> Services() { lock (_gate) return _services.Values.OrderBy(s => s.Service.ID, StringComparer.Ordinal).ToList(); }
    public IReadOnlyList<LocalCheck> Checks() { lock (_gate) return _checks.Values.OrderBy(c => c.Check.CheckID, StringComparer.Ordinal).ToList(); }

    public LocalService? Service(string id) { lock (_gate) return _services.GetValueOrDefault(id); }
    public LocalCheck? Check(string id) { lock (_gate) return _checks.GetValueOrDefault(id); }

    public void AddService(NodeService service, string token)
    {
        lock (_gate)
        {
            _services[service.ID] = new LocalService(service, token);
            // Service checks carry the service's name and tags.
            foreach (var (id, c) in _checks.Where(c => c.Value.Check.ServiceID == service.ID).ToList())
                _checks[id] = c with { Check = c.Check with { ServiceName = service.Service, ServiceTags = service.Tags } };
            Bump();
        }
    }

    /// <summary>Removes a service and its checks; returns the removed check IDs (null if unknown).</summary>
    public IReadOnlyList<string>? RemoveService(string id)
    {
        lock (_gate)
        {
            if (!_services.Remove(id)) return null;
            var checks = _checks.Where(c => c.Value.Check.ServiceID == id).Select(c => c.Key).ToList();
            foreach (var c in checks)
            {
                _checks.Remove(c);
                CancelOutputDeferral(c);
            }
            Bump();
            return checks;
        }
    }

    public void AddCheck(HealthCheck check, CheckDefinition? definition, string token, TimeSpan? deregisterCriticalAfter = null)
    {
        lock (_gate)
        {
            if (check.ServiceID != "" && _services.TryGetValue(check.ServiceID, out var svc))
                check = check with { ServiceName = svc.Service.Service, ServiceTags = svc.Service.Tags };
            check = check with { Node = Identity.NodeName };
            // A (re-)registered check is pushed whole, output included.
            CancelOutputDeferral(check.CheckID);
            _checks[check.CheckID] = new LocalCheck(check, definition, token)
            {
                DeregisterCriticalServiceAfter = deregisterCriticalAfter,
                CriticalSince = check.Status == HealthStatus.Critical ? _time.GetUtcNow() : null,
            };
            Bump();
        }
    }

    public bool RemoveCheck(string id)
    {
        lock (_gate)
        {
            if (!_checks.Remove(id)) return false;
            CancelOutputDeferral(id);
            Bump();
            return true;
        }
    }

    void ICheckNotifier.UpdateCheck(string checkId, string status, string output) => UpdateCheck(checkId, status, output);

    /// <summary>
    /// Sets a check's status and output; false when the check is unknown. A status change
    /// reaches the catalog at once; an output-only change is kept here at once but pushed
    /// after the check_update_interval deferral, so chatty checks do not flood the servers.
    /// </summary>
    public bool UpdateCheck(string id, string status, string output)
    {
        lock (_gate)
        {
            if (!_checks.TryGetValue(id, out var c)) return false;
            DateTimeOffset? criticalSince = status == HealthStatus.Critical ? c.CriticalSince ?? _time.GetUtcNow() : null;
            if (c.Check.Status == status && c.Check.Output == output) return true;
            var updated = c with { Check = c.Check with { Status = status, Output = output }, CriticalSince = criticalSince };
            if (_options.CheckUpdateInterval > TimeSpan.Zero && c.Check.Status == status)
            {
                // No Bump: nothing for anti-entropy to do until the timer fires (Consul neither
                // bumps the check's version nor triggers a sync here).
                _checks[id] = updated with { OutputSyncDeferred = true };
                if (!_deferredOutput.ContainsKey(id)) StartOutputDeferral(id);
                return true;
            }
            CancelOutputDeferral(id);
            _checks[id] = updated with { OutputSyncDeferred = false };
            Bump();
            return true;
        }
    }

    /// <summary>
    /// Anti-entropy pushed this output to the catalog: a deferral still waiting to push the
    /// same output is done (Consul stops the DeferCheck timer when it syncs a check).
    /// </summary>
    internal void CheckSynced(string id, string output)
    {
        lock (_gate)
        {
            if (_checks.TryGetValue(id, out var c) && c.Check.Output == output && CancelOutputDeferral(id))
                _checks[id] = c with { OutputSyncDeferred = false };
        }
    }

    private void StartOutputDeferral(string id)
    {
        // Consul: Interval/2 + lib.RandomStagger(Interval), so agents started together spread out.
        var interval = _options.CheckUpdateInterval;
        var delay = TimeSpan.FromTicks(interval.Ticks / 2 + _options.Random.NextInt64(interval.Ticks));
        ITimer? timer = null;
        timer = _time.CreateTimer(_ => OutputDeferralEnded(id, timer!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _deferredOutput[id] = timer;
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OutputDeferralEnded(string id, ITimer timer)
    {
        lock (_gate)
        {
            // A timer cancelled or replaced after it started firing must not end a newer deferral.
            if (!_deferredOutput.TryGetValue(id, out var current) || current != timer) return;
            _deferredOutput.Remove(id);
            timer.Dispose();
            if (_checks.TryGetValue(id, out var c)) _checks[id] = c with { OutputSyncDeferred = false };
            Bump();
        }
    }

    private bool CancelOutputDeferral(string id)
    {
        if (!_deferredOutput.Remove(id, out var timer)) return false;
        timer.Dispose();
        return true;
    }

    /// <summary>With EnableTagOverride, tags changed in the catalog win over the agent's.</summary>
    internal void AdoptCatalogTags(string serviceId, List<string> tags)
    {
        lock (_gate)
        {
            if (!_services.TryGetValue(serviceId, out var s)) return;
            _services[serviceId] = s with { Service = s.Service with { Tags = tags } };
            Bump();
        }
    }

    /// <summary>Services whose checks have been critical longer than their DeregisterCriticalServiceAfter.</summary>
    public IReadOnlyList<string> ServicesToReap(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _checks.Values
                .Where(c => c.Check.ServiceID != "" && c.DeregisterCriticalServiceAfter is { } after &&
                            c.CriticalSince is { } since && now - since > after)
                .Select(c => c.Check.ServiceID).Distinct().ToList();
        }
    }

    private void Bump()
    {
        _version++;
        var fire = _changed;
        _changed = NewSignal();
        fire.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
