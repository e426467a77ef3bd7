using Consul.Tests.Raft.Sim;

namespace Consul.Tests.ClusterE2E;

/// <summary>
/// One client bound to one agent: a loop of `?consistent` reads, unique-valued writes and CAS
/// (on the ModifyIndex of this worker's last read of the key), each recorded with its call and
/// return time. After an indeterminate operation the worker continues as a new process id, as
/// in Jepsen (its pending operation stays open forever).
/// </summary>
public sealed class JepsenWorker(int id, string agent, JepsenKvClient client, JepsenHistory history, Random rng,
    IReadOnlyList<string> keys, Func<int> nextValue)
{
    private int _process = id * 1000;
    private readonly Dictionary<string, (int Value, ulong Index)> _lastRead = new();

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var key = keys[rng.Next(keys.Count)];
            var roll = rng.Next(10);
            var refused = roll < 4 || !_lastRead.ContainsKey(key) ? await ReadAsync(key)
                : roll < 7 ? await WriteAsync(key)
                : await CasAsync(key);
            // A server that is down refuses at once; do not spin on it.
            if (refused)
                try { await Task.Delay(100, stop); } catch (OperationCanceledException) { }
        }
    }

    private async Task<bool> ReadAsync(string key)
    {
        var invoke = history.Now();
        var r = await client.ReadAsync(key);
        var ret = history.Now();
        // A read that failed or timed out changed nothing: leave it out.
        if (r.Outcome != JepsenOutcome.Ok) return r.Outcome == JepsenOutcome.Failed;
        _lastRead[key] = (r.Value, r.Index);
        history.Add(new JepsenOp(_process, agent, key, HistoryOp.Read, 0, 0, invoke, ret, r.Value, false, r.Index, ""));
        return false;
    }

    private async Task<bool> WriteAsync(string key)
    {
        var value = nextValue();
        var invoke = history.Now();
        var r = await client.PutAsync(key, value, cas: null);
        return Record(new JepsenOp(_process, agent, key, HistoryOp.Write, value, 0, invoke, history.Now(), 0, false, 0, r.Detail), r);
    }

    private async Task<bool> CasAsync(string key)
    {
        var (expected, index) = _lastRead[key];
        _lastRead.Remove(key);
        var value = nextValue();
        var invoke = history.Now();
        var r = await client.PutAsync(key, value, cas: index);
        return Record(new JepsenOp(_process, agent, key, HistoryOp.Cas, expected, value, invoke, history.Now(), 0, r.Applied, index, r.Detail), r);
    }

    private bool Record(JepsenOp op, JepsenKvClient.PutResult r)
    {
        switch (r.Outcome)
        {
            case JepsenOutcome.Ok:
                history.Add(op);
                return false;
            case JepsenOutcome.Unknown:
                history.Add(op with { Return = long.MaxValue });
                _process++;
                return false;
            default:
                return true; // certainly not applied: nothing to check
        }
    }
}
