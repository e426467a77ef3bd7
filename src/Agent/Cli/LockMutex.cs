namespace Consul.Agent.Cli;

/// <summary>
/// A Consul lock (api/lock.go) on one key: a session with a 15s TTL renewed in the
/// background, acquisition with ?acquire, blocking reads while someone else holds it, a
/// timed retry while a lock-delay is in effect, and a monitor that notices the loss.
/// </summary>
internal sealed class LockMutex(LockKvClient kv, string key, LockOptions options, TimeProvider time) : ILockHolder
{
    /// <summary>LockFlagValue: marks a key as a lock so semaphores and locks do not mix.</summary>
    public const ulong FlagValue = 0x2ddccbc058a50c18;

    private LockSessionRenewer? _renewer;
    private CancellationTokenSource? _monitorStop;
    private bool _held;

    public async Task<Task?> AcquireAsync(CancellationToken stop)
    {
        if (_held) throw new LockException("Lock already held");
        string session;
        try
        {
            session = await kv.CreateSessionAsync(options.SessionName, LockOptions.SessionTtl);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to create session: {e.Message}");
        }
        _renewer = new LockSessionRenewer(kv, session, LockOptions.SessionTtl, time);
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

    private async Task<Task?> AcquireWithSessionAsync(string session, CancellationToken stop)
    {
        var start = time.GetTimestamp();
        var attempts = 0;
        var wait = options.WaitTime;
        ulong waitIndex = 0;
        while (true)
        {
            if (stop.IsCancellationRequested) return null;
            if (options.TryOnce && attempts > 0)
            {
                var elapsed = time.GetElapsedTime(start);
                if (elapsed > options.WaitTime) return null;
                wait = options.WaitTime - elapsed;
            }
            attempts++;

            var read = await Read(kv.GetAsync(key, waitIndex, wait, false), "failed to read lock", stop);
            if (read is null) return null;
            var (pair, index) = read.Value;
            if (pair is not null && pair.Flags != FlagValue) throw new LockException("Existing key does not match lock use");
            if (pair is not null && pair.Session == session) return StartMonitor(session);
            if (pair is not null && pair.Session.Length > 0)
            {
                waitIndex = index;
                continue;
            }

            bool locked;
            try
            {
                locked = await kv.AcquireAsync(key, session, FlagValue, []);
            }
            catch (CliApiException e)
            {
                throw new LockException($"failed to acquire lock: {e.Message}");
            }
            if (locked) return StartMonitor(session);

            // Find out why: someone else won the race (wait on them), or a lock-delay applies (retry later).
            waitIndex = 0;
            var again = await Read(kv.GetAsync(key, 0, wait, false), null, stop);
            if (again is null) return null;
            if (again.Value.Pair is { Session.Length: > 0 })
            {
                waitIndex = again.Value.Index;
                continue;
            }
            if (!await LockWait.Delay(LockOptions.RetryTime, time, stop)) return null;
        }
    }

    private static async Task<(KvPair? Pair, ulong Index)?> Read(Task<(KvPair?, ulong)> get, string? errorPrefix, CancellationToken stop)
    {
        try
        {
            var (done, value) = await LockWait.OrStop(get, stop);
            return done ? value : null;
        }
        catch (CliApiException e)
        {
            throw new LockException(errorPrefix is null ? e.Message : $"{errorPrefix}: {e.Message}");
        }
    }

    private Task StartMonitor(string session)
    {
        _monitorStop = new CancellationTokenSource();
        var stop = _monitorStop.Token;
        return Task.Run(() => MonitorAsync(session, stop));
    }

    /// <summary>monitorLock: consistent blocking reads until the key is no longer ours.</summary>
    private async Task MonitorAsync(string session, CancellationToken stop)
    {
        ulong waitIndex = 0;
        var retries = options.MonitorRetries;
        while (!stop.IsCancellationRequested)
        {
            KvPair? pair;
            ulong index;
            try
            {
                (pair, index) = await kv.GetAsync(key, waitIndex, null, true, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (retries > 0 && LockKvClient.IsRetryable(e))
            {
                if (!await LockWait.Delay(options.MonitorRetryTime, time, stop)) return;
                retries--;
                waitIndex = 0;
                continue;
            }
            catch (CliApiException)
            {
                return;
            }
            if (pair is null || pair.Session != session) return;
            waitIndex = index;
            retries = options.MonitorRetries;
        }
    }

    public async Task ReleaseAsync()
    {
        if (!_held) throw new LockException("Lock not held");
        _held = false;
        _monitorStop?.Cancel();
        var renewer = _renewer!;
        _renewer = null;
        try
        {
            await kv.ReleaseAsync(key, renewer.SessionId, FlagValue);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to release lock: {e.Message}");
        }
        finally
        {
            await renewer.StopAsync();
        }
    }

    public async Task CleanupAsync()
    {
        if (_held) throw new LockException("Lock already held");
        KvPair? pair;
        try
        {
            (pair, _) = await kv.GetAsync(key, 0, null, false);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to read lock: {e.Message}");
        }
        if (pair is null) return;
        if (pair.Flags != FlagValue) throw new LockException("Existing key does not match lock use");
        if (pair.Session.Length > 0) throw new LockInUseException("Lock in use");
        bool removed;
        try
        {
            removed = await kv.DeleteCasAsync(key, pair.ModifyIndex);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to remove lock: {e.Message}");
        }
        if (!removed) throw new LockInUseException("Lock in use");
    }
}
