namespace Consul.Agent.Cli;

/// <summary>
/// What a lock and a semaphore share (api/lock.go, api/semaphore.go): a session with a 15s TTL
/// renewed in the background while held, the acquire / release / cleanup bookkeeping, and the
/// monitor task that completes when the hold is lost. Subclasses say how to take, watch and
/// give back their keys.
/// </summary>
internal abstract class SessionLock(LockKvClient kvClient, LockOptions lockOptions, TimeProvider timeProvider, string kind) : ILockHolder
{
    protected LockKvClient Kv { get; } = kvClient;
    protected LockOptions Options { get; } = lockOptions;
    protected TimeProvider Time { get; } = timeProvider;

    private LockSessionRenewer? _renewer;
    private CancellationTokenSource? _monitorStop;
    private bool _held;

    public async Task<Task?> AcquireAsync(CancellationToken stop)
    {
        if (_held) throw new LockException($"{kind} already held");
        string session;
        try
        {
            session = await Kv.CreateSessionAsync(Options.SessionName, LockOptions.SessionTtl);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to create session: {e.Message}");
        }
        _renewer = new LockSessionRenewer(Kv, session, LockOptions.SessionTtl, Time);
        try
        {
            var lost = await AcquireWithSessionAsync(session, stop);
            if (lost is not null) _held = true;
            return lost;
        }
        finally
        {
            if (!_held)
            {
                await _renewer.StopAsync();
                _renewer = null;
            }
        }
    }

    /// <summary>Takes the keys with <paramref name="session"/>; returns <see cref="StartMonitor"/>'s task, or null when given up.</summary>
    protected abstract Task<Task?> AcquireWithSessionAsync(string session, CancellationToken stop);

    /// <summary>Runs until the hold is no longer ours (or the monitor is stopped on release).</summary>
    protected abstract Task MonitorAsync(string session, CancellationToken stop);

    /// <summary>Gives the keys held with <paramref name="session"/> back.</summary>
    protected abstract Task ReleaseWithSessionAsync(string session);

    /// <summary>Removes the keys if no one holds them.</summary>
    protected abstract Task CleanupUnheldAsync();

    protected Task StartMonitor(string session)
    {
        _monitorStop = new CancellationTokenSource();
        var stop = _monitorStop.Token;
        return Task.Run(() => MonitorAsync(session, stop));
    }

    public async Task ReleaseAsync()
    {
        if (!_held) throw new LockException($"{kind} not held");
        _held = false;
        _monitorStop?.Cancel();
        var renewer = _renewer!;
        _renewer = null;
        try
        {
            await ReleaseWithSessionAsync(renewer.SessionId);
        }
        finally
        {
            await renewer.StopAsync();
        }
    }

    public Task CleanupAsync() => _held ? throw new LockException($"{kind} already held") : CleanupUnheldAsync();
}
