namespace Consul.Agent.Cli;

/// <summary>
/// A Consul lock (api/lock.go) on one key: a session with a 15s TTL renewed in the
/// background, acquisition with ?acquire, blocking reads while someone else holds it, a
/// timed retry while a lock-delay is in effect, and a monitor that notices the loss.
/// </summary>
internal sealed class LockMutex(LockKvClient kv, string key, LockOptions options, TimeProvider time)
    : SessionLock(kv, options, time, "Lock")
{
    /// <summary>LockFlagValue: marks a key as a lock so semaphores and locks do not mix.</summary>
    public const ulong FlagValue = 0x2ddccbc058a50c18;

    protected override async Task<Task?> AcquireWithSessionAsync(string session, CancellationToken stop)
    {
        var start = Time.GetTimestamp();
        var attempts = 0;
        var wait = Options.WaitTime;
        ulong waitIndex = 0;
        while (true)
        {
            if (stop.IsCancellationRequested) return null;
            if (Options.TryOnce && attempts > 0)
            {
                var elapsed = Time.GetElapsedTime(start);
                if (elapsed > Options.WaitTime) return null;
                wait = Options.WaitTime - elapsed;
            }
            attempts++;

            var read = await Read(Kv.GetAsync(key, waitIndex, wait, false), "failed to read lock", stop);
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
                locked = await Kv.AcquireAsync(key, session, FlagValue, []);
            }
            catch (CliApiException e)
            {
                throw new LockException($"failed to acquire lock: {e.Message}");
            }
            if (locked) return StartMonitor(session);

            // Find out why: someone else won the race (wait on them), or a lock-delay applies (retry later).
            waitIndex = 0;
            var again = await Read(Kv.GetAsync(key, 0, wait, false), null, stop);
            if (again is null) return null;
            if (again.Value.Pair is { Session.Length: > 0 })
            {
                waitIndex = again.Value.Index;
                continue;
            }
            if (!await LockWait.Delay(LockOptions.RetryTime, Time, stop)) return null;
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

    /// <summary>monitorLock: consistent blocking reads until the key is no longer ours.</summary>
    protected override async Task MonitorAsync(string session, CancellationToken stop)
    {
        ulong waitIndex = 0;
        var retries = Options.MonitorRetries;
        while (!stop.IsCancellationRequested)
        {
            KvPair? pair;
            ulong index;
            try
            {
                (pair, index) = await Kv.GetAsync(key, waitIndex, null, true, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (retries > 0 && LockKvClient.IsRetryable(e))
            {
                if (!await LockWait.Delay(Options.MonitorRetryTime, Time, stop)) return;
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
            retries = Options.MonitorRetries;
        }
    }

    protected override async Task ReleaseWithSessionAsync(string session)
    {
        try
        {
            await Kv.ReleaseAsync(key, session, FlagValue);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to release lock: {e.Message}");
        }
    }

    protected override async Task CleanupUnheldAsync()
    {
        KvPair? pair;
        try
        {
            (pair, _) = await Kv.GetAsync(key, 0, null, false);
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
            removed = await Kv.DeleteCasAsync(key, pair.ModifyIndex);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to remove lock: {e.Message}");
        }
        if (!removed) throw new LockInUseException("Lock in use");
    }
}
