using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>
/// A Consul semaphore (api/semaphore.go): each contender holds `prefix/&lt;session&gt;`; the
/// `prefix/.lock` key holds {"Limit":N,"Holders":{session:true}} and is updated with ?cas.
/// Holders whose contender key lost its session are pruned; a monitor notices removal.
/// </summary>
internal sealed class LockSemaphore(LockKvClient kv, string prefix, int limit, LockOptions options, TimeProvider time)
    : SessionLock(kv, options, time, "Semaphore")
{
    /// <summary>SemaphoreFlagValue.</summary>
    public const ulong FlagValue = 0xe0f69a2baa414de0;

    private readonly string _lockKey = LockKvClient.PathJoin(prefix, ".lock");

    protected override async Task<Task?> AcquireWithSessionAsync(string session, CancellationToken stop)
    {
        bool made;
        string? error = "<nil>";
        try
        {
            made = await Kv.AcquireAsync(LockKvClient.PathJoin(prefix, session), session, FlagValue, []);
        }
        catch (CliApiException e)
        {
            made = false;
            error = e.Message;
        }
        if (!made) throw new LockException($"failed to make contender entry: {error}");

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

            List<KvPair> pairs;
            ulong index;
            try
            {
                var (done, value) = await LockWait.OrStop(Kv.ListAsync(prefix, waitIndex, wait, false), stop);
                if (!done) return null;
                (pairs, index) = value;
            }
            catch (CliApiException e)
            {
                throw new LockException($"failed to read prefix: {e.Message}");
            }
            var lockPair = FindLock(pairs);
            if (lockPair.Flags != FlagValue) throw new LockException("Existing key does not match semaphore use");
            var state = Decode(lockPair);
            if (state.Limit != limit)
                throw new LockException($"semaphore limit conflict (lock: {state.Limit}, local: {limit})");
            PruneDeadHolders(state, pairs);
            if (state.Holders.Count >= state.Limit)
            {
                waitIndex = index;
                continue;
            }
            state.Holders[session] = true;
            bool set;
            try
            {
                set = await Kv.CasAsync(_lockKey, lockPair.ModifyIndex, FlagValue, Encode(state));
            }
            catch (CliApiException e)
            {
                throw new LockException($"failed to update lock: {e.Message}");
            }
            if (!set) continue;
            return StartMonitor(session);
        }
    }

    /// <summary>monitorLock: consistent blocking lists until our session is no longer a live holder.</summary>
    protected override async Task MonitorAsync(string session, CancellationToken stop)
    {
        ulong waitIndex = 0;
        var retries = Options.MonitorRetries;
        while (!stop.IsCancellationRequested)
        {
            List<KvPair> pairs;
            ulong index;
            try
            {
                (pairs, index) = await Kv.ListAsync(prefix, waitIndex, null, true, stop);
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
            SemaphoreState state;
            try
            {
                state = Decode(FindLock(pairs));
            }
            catch (LockException)
            {
                return;
            }
            PruneDeadHolders(state, pairs);
            if (!state.Holders.ContainsKey(session)) return;
            waitIndex = index;
            retries = Options.MonitorRetries;
        }
    }

    protected override async Task ReleaseWithSessionAsync(string session)
    {
        try
        {
            while (true)
            {
                var (pair, _) = await Kv.GetAsync(_lockKey, 0, null, false);
                pair ??= new KvPair("", 0, 0, 0, 0, [], "");
                var state = Decode(pair);
                if (!state.Holders.Remove(session)) break;
                bool set;
                try
                {
                    set = await Kv.CasAsync(_lockKey, pair.ModifyIndex, FlagValue, Encode(state));
                }
                catch (CliApiException e)
                {
                    throw new LockException($"failed to update lock: {e.Message}");
                }
                if (set) break;
            }
            await Kv.DeleteAsync(LockKvClient.PathJoin(prefix, session));
        }
        catch (CliApiException e)
        {
            throw new LockException(e.Message);
        }
    }

    protected override async Task CleanupUnheldAsync()
    {
        List<KvPair> pairs;
        try
        {
            (pairs, _) = await Kv.ListAsync(prefix, 0, null, false);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to read prefix: {e.Message}");
        }
        var lockPair = FindLock(pairs);
        if (lockPair.ModifyIndex == 0) return;
        if (lockPair.Flags != FlagValue) throw new LockException("Existing key does not match semaphore use");
        var state = Decode(lockPair);
        PruneDeadHolders(state, pairs);
        if (state.Holders.Count > 0) throw new LockInUseException("Semaphore in use");
        bool removed;
        try
        {
            removed = await Kv.DeleteCasAsync(_lockKey, lockPair.ModifyIndex);
        }
        catch (CliApiException e)
        {
            throw new LockException($"failed to remove semaphore: {e.Message}");
        }
        if (!removed) throw new LockInUseException("Semaphore in use");
    }

    private sealed class SemaphoreState
    {
        public int Limit { get; set; }
        public SortedDictionary<string, bool> Holders { get; set; } = new(StringComparer.Ordinal);
    }

    // A missing coordination key reads as an empty one with the semaphore's flag, ready for cas=0.
    private KvPair FindLock(List<KvPair> pairs) =>
        pairs.FirstOrDefault(p => p.Key == _lockKey) ?? new KvPair(_lockKey, 0, 0, 0, FlagValue, [], "");

    private SemaphoreState Decode(KvPair pair)
    {
        if (pair.Value.Length == 0) return new SemaphoreState { Limit = limit };
        try
        {
            var node = JsonNode.Parse(pair.Value);
            var state = new SemaphoreState { Limit = node?["Limit"]?.GetValue<int>() ?? 0 };
            if (node?["Holders"] is JsonObject holders)
                foreach (var (k, v) in holders) state.Holders[k] = v?.GetValue<bool>() ?? false;
            return state;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new LockException($"lock decoding failed: {e.Message}");
        }
    }

    private static byte[] Encode(SemaphoreState state)
    {
        var holders = new JsonObject();
        foreach (var (k, v) in state.Holders) holders[k] = v;
        return Encoding.UTF8.GetBytes(new JsonObject { ["Limit"] = state.Limit, ["Holders"] = holders }.ToJsonString());
    }

    private static void PruneDeadHolders(SemaphoreState state, List<KvPair> pairs)
    {
        var alive = pairs.Where(p => p.Session.Length > 0).Select(p => p.Session).ToHashSet(StringComparer.Ordinal);
        foreach (var holder in state.Holders.Keys.ToList())
            if (!alive.Contains(holder)) state.Holders.Remove(holder);
    }
}
