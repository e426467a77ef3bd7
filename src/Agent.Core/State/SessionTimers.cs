using System.Collections.Concurrent;
using Consul.Core.Model;
using Consul.Core.Util;
using Microsoft.Extensions.Logging;

namespace Consul.Core.State;

/// <summary>
/// The leader's TTL timers for sessions (Consul's session_ttl.go). A session with a TTL is
/// destroyed through the log when it is not renewed within twice its TTL; renewals only
/// reset the timer and are not written. A new leader restarts every timer at full length.
/// </summary>
public sealed class SessionTimers(ICommandLog log, StateStore store, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>Consul's SessionTTLMultiplier: the grace before an unrenewed session expires.</summary>
    public const int TtlMultiplier = 2;

    private readonly ConcurrentDictionary<string, ITimer> _timers = new(StringComparer.Ordinal);

    /// <summary>In a cluster only the leader runs timers; other agents send renewals there.</summary>
    public Func<bool> IsLeader { get; set; } = () => true;

    /// <summary>Sends a renewal to the leader (cluster agents that are not the leader).</summary>
    public Func<string, Task<bool>>? ForwardRenewal { get; set; }

    public void Reset(Session session)
    {
        if (!GoDuration.TryParse(session.TTL, out var ttl) || ttl <= TimeSpan.Zero) return;
        if (!IsLeader())
        {
            if (ForwardRenewal is { } forward) _ = ForwardAsync(forward, session.ID);
            return;
        }
        var id = session.ID;
        var timer = time.CreateTimer(_ => _ = ExpireAsync(id), null, ttl * TtlMultiplier, Timeout.InfiniteTimeSpan);
        if (_timers.TryGetValue(id, out var old)) old.Dispose();
        _timers[id] = timer;
    }

    public void Remove(string id)
    {
        if (_timers.TryRemove(id, out var t)) t.Dispose();
    }

    /// <summary>Arms a timer for every session in the state (on start or on gaining leadership).</summary>
    public void ResetAll()
    {
        foreach (var s in store.Current.Sessions.Values) Reset(s);
    }

    private async Task ForwardAsync(Func<string, Task<bool>> forward, string id)
    {
        try { await forward(id).ConfigureAwait(false); }
        catch (Exception e) { logger.LogWarning("Failed to renew session on the leader: session={Session} error={Error}", id, e.Message); }
    }

    private async Task ExpireAsync(string id)
    {
        Remove(id);
        if (!store.Current.Sessions.ContainsKey(id)) return;
        try
        {
            await log.ApplyAsync(new SessionCommand { Verb = SessionCommand.Destroy, Session = new Session { ID = id } }).ConfigureAwait(false);
            logger.LogDebug("Session TTL expired: session={Session}", id);
        }
        catch (Exception e)
        {
            logger.LogError("Failed to invalidate expired session: session={Session} error={Error}", id, e.Message);
        }
    }

    /// <summary>Leadership lost: the next leader restarts every timer.</summary>
    public void StopAll()
    {
        foreach (var t in _timers.Values) t.Dispose();
        _timers.Clear();
    }

    public void Dispose()
    {
        foreach (var t in _timers.Values) t.Dispose();
        _timers.Clear();
    }
}
