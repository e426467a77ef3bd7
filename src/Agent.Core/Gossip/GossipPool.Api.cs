using System.Net;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip;

/// <summary>No address of a join could be reached; the message lists each failure.</summary>
public sealed class GossipJoinException(string message) : Exception(message);

// The operations the agent uses: join, leave, force-leave, members, tags, events, keys, coordinates.
public sealed partial class GossipPool
{
    /// <summary>
    /// Joins through any of <paramref name="addresses"/> ("ip", "ip:port", "[v6]:port", "host:port").
    /// Returns how many were contacted; throws <see cref="GossipJoinException"/> if none.
    /// </summary>
    public async Task<int> JoinAsync(IEnumerable<string> addresses, bool ignoreOld = true, CancellationToken ct = default)
    {
        var endpoints = new List<IPEndPoint>();
        var errors = new List<string>();
        foreach (var a in addresses)
        {
            try { endpoints.AddRange(await ResolveAsync(a, _config.DefaultPort, ct)); }
            catch (Exception e) when (e is FormatException or System.Net.Sockets.SocketException)
            {
                errors.Add($"Failed to resolve {a}: {e.Message}");
            }
        }
        var waits = new List<Task<JoinResult>>();
        lock (_gate)
        {
            var seqs = _core.Join(endpoints, ignoreOld, Now);
            foreach (var seq in seqs)
            {
                var tcs = new TaskCompletionSource<JoinResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _pendingJoins[seq] = tcs;
                waits.Add(tcs.Task);
            }
            FlushLocked();
        }
        _wake.Release();
        var results = await Task.WhenAll(waits).WaitAsync(ct);
        var joined = results.Count(r => r.Success);
        errors.AddRange(results.Where(r => !r.Success).Select(r => $"Failed to join {r.Address}: {r.Error}"));
        if (joined == 0) throw new GossipJoinException(errors.Count == 0 ? "no addresses to join" : string.Join("; ", errors));
        _log.LogInformation("serf: joined {Count} of {Total} addresses", joined, endpoints.Count);
        return joined;
    }

    /// <summary>
    /// retry_join: keeps trying every <paramref name="interval"/> until one address answers,
    /// giving up after <paramref name="maxAttempts"/> (0 = forever).
    /// </summary>
    public async Task<int> RetryJoinAsync(IReadOnlyList<string> addresses, TimeSpan interval, int maxAttempts = 0, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var n = await JoinAsync(addresses, ignoreOld: true, ct);
                _log.LogInformation("agent: Join cluster completed. Synced with initial agents: cluster={Pool} num_agents={Count}", _config.Pool.ToUpperInvariant(), n);
                return n;
            }
            catch (GossipJoinException e)
            {
                if (maxAttempts > 0 && attempt >= maxAttempts)
                    throw new GossipJoinException($"agent: max join retry exhausted, exiting: cluster={_config.Pool.ToUpperInvariant()}: {e.Message}");
                _log.LogWarning("agent: Join cluster failed, will retry: cluster={Pool} retry_interval={Interval} error={Error}",
                    _config.Pool.ToUpperInvariant(), Consul.Core.Util.GoDuration.Format(interval), e.Message);
            }
            await Task.Delay(interval, _time, ct);
        }
    }

    /// <summary>Graceful leave: the intent and the SWIM leave spread before we stop, then the pool shuts down.</summary>
    public async Task LeaveAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            _core.Leave(Now);
            FlushLocked();
        }
        _wake.Release();
        var limit = _config.Serf.BroadcastTimeout * 2 + _config.Serf.LeavePropagateDelay + TimeSpan.FromSeconds(1);
        try { await _left.Task.WaitAsync(limit, _time, ct); }
        catch (TimeoutException) { _log.LogWarning("serf: timeout waiting for leave to complete"); }
        await ShutdownAsync();
    }

    /// <summary>force-leave: marks a failed member left everywhere; with prune it is forgotten at once.</summary>
    public bool ForceLeave(string node, bool prune = false)
    {
        lock (_gate)
        {
            var ok = _core.ForceLeave(node, prune, Now);
            FlushLocked();
            if (!ok) _log.LogWarning("agent: No node found with name '{Node}'", node);
            return ok;
        }
    }

    public IReadOnlyList<Member> Members() { lock (_gate) return _core.Members(); }

    public Member LocalMember { get { lock (_gate) return _core.LocalMember; } }

    public void SetTags(IReadOnlyDictionary<string, string> tags)
    {
        lock (_gate)
        {
            _core.SetTags(tags, Now);
            FlushLocked();
        }
    }

    public void UserEvent(string name, byte[] payload, bool coalesce = false)
    {
        lock (_gate)
        {
            _core.UserEvent(name, payload, coalesce, Now);
            FlushLocked();
        }
    }

    /// <summary>Our own coordinate, or the last one heard from <paramref name="node"/>.</summary>
    public Coordinate? GetCoordinate(string? node = null)
    {
        lock (_gate) return node == null ? _core.GetCoordinate() : _core.GetCachedCoordinate(node);
    }

    /// <summary>
    /// Pool-wide keyring operation (`consul keyring -install/-use/-remove/-list`): every alive
    /// member applies it to its keyring (persisted in its data dir) and answers.
    /// </summary>
    public Task<KeyringResponse> InstallKeyAsync(string base64, CancellationToken ct = default) => KeyringOperationAsync(KeyringOperation.Install, base64, ct);
    public Task<KeyringResponse> UseKeyAsync(string base64, CancellationToken ct = default) => KeyringOperationAsync(KeyringOperation.Use, base64, ct);
    public Task<KeyringResponse> RemoveKeyAsync(string base64, CancellationToken ct = default) => KeyringOperationAsync(KeyringOperation.Remove, base64, ct);
    public Task<KeyringResponse> ListKeysAsync(CancellationToken ct = default) => KeyringOperationAsync(KeyringOperation.List, null, ct);

    private async Task<KeyringResponse> KeyringOperationAsync(KeyringOperation op, string? base64, CancellationToken ct)
    {
        var key = base64 == null ? null : Keyring.DecodeKey(base64);
        var tcs = new TaskCompletionSource<KeyringResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var id = _core.StartKeyringOperation(op, key, Now);
            _keyOps[id] = tcs;
            FlushLocked();
        }
        _wake.Release();
        return await tcs.Task.WaitAsync(ct);
    }

    /// <summary>Stops without leaving (as a crash would, but writing the snapshot first).</summary>
    public async Task ShutdownAsync()
    {
        lock (_gate)
        {
            if (_core.State == SerfState.Shutdown) return;
            WriteSnapshotLocked();
            _core.Shutdown();
        }
        _stop.Cancel();
        try { await _loop; } catch (OperationCanceledException) { }
        await _transport.DisposeAsync();
        lock (_gate)
        {
            foreach (var (seq, tcs) in _pendingJoins) tcs.TrySetResult(new JoinResult(seq, new IPEndPoint(IPAddress.None, 0), false, "shutdown"));
            _pendingJoins.Clear();
            foreach (var tcs in _keyOps.Values) tcs.TrySetCanceled();
            _keyOps.Clear();
        }
        _events.Writer.TryComplete();
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync());

    private static async Task<IEnumerable<IPEndPoint>> ResolveAsync(string address, int defaultPort, CancellationToken ct)
    {
        // "ip", "ip:port", "v6", "[v6]:port"; a missing port means the pool's default.
        if (IPEndPoint.TryParse(address, out var ep))
        {
            if (ep.Port == 0) ep.Port = defaultPort;
            return [ep];
        }
        var host = address;
        var port = defaultPort;
        var colon = address.LastIndexOf(':');
        if (colon > 0 && int.TryParse(address[(colon + 1)..], out var p))
        {
            host = address[..colon].Trim('[', ']');
            port = p;
        }
        if (IPAddress.TryParse(host, out var ip)) return [new IPEndPoint(ip, port)];
        var addrs = await System.Net.Dns.GetHostAddressesAsync(host, ct);
        if (addrs.Length == 0) throw new FormatException($"no addresses for {host}");
        return [new IPEndPoint(addrs[0], port)];
    }
}
