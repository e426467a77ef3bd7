using Consul.Core.Util;

namespace Consul.Agent.Cli;

/// <summary>
/// Session.RenewPeriodic: renews the lock session every TTL/2 (every second after an
/// error) until stopped, then destroys it; gives up once the session is gone or a whole
/// TTL passed without a successful renewal.
/// </summary>
internal sealed class LockSessionRenewer
{
    private readonly LockKvClient _kv;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _done = new();
    private readonly Task _loop;

    public LockSessionRenewer(LockKvClient kv, string sessionId, string ttl, TimeProvider time)
    {
        _kv = kv;
        _time = time;
        SessionId = sessionId;
        _loop = Task.Run(() => RunAsync(ttl));
    }

    public string SessionId { get; }

    /// <summary>Stops renewing and destroys the session (errors ignored, as Go does).</summary>
    public async Task StopAsync()
    {
        _done.Cancel();
        await _loop;
    }

    private async Task RunAsync(string initialTtl)
    {
        var ttl = GoDuration.TryParse(initialTtl, out var t) ? t : TimeSpan.FromSeconds(15);
        var wait = ttl / 2;
        var lastRenew = _time.GetTimestamp();
        while (true)
        {
            if (_time.GetElapsedTime(lastRenew) > ttl) break;
            try
            {
                await Task.Delay(wait, _time, _done.Token);
            }
            catch (OperationCanceledException)
            {
                try { await _kv.DestroySessionAsync(SessionId); }
                catch (CliApiException) { }
                return;
            }
            string? newTtl;
            try
            {
                newTtl = await _kv.RenewSessionAsync(SessionId);
            }
            catch (CliApiException)
            {
                wait = TimeSpan.FromSeconds(1);
                continue;
            }
            if (newTtl is null) break;
            if (GoDuration.TryParse(newTtl, out var serverTtl) && serverTtl > TimeSpan.Zero) ttl = serverTtl;
            wait = ttl / 2;
            lastRenew = _time.GetTimestamp();
        }
        // Renewal ended on its own; still honour a later stop.
        try { await Task.Delay(Timeout.Infinite, _done.Token); }
        catch (OperationCanceledException) { }
    }
}
