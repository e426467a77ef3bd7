using Consul.Core.Model;
using Consul.Core.State;

namespace Consul.Ui.Views;

/// <summary>Outcome of a CAS-guarded KV write from the UI.</summary>
public enum KvSaveOutcome { Saved, Conflict, Failed }

public sealed record KvSaveResult(KvSaveOutcome Outcome, ulong Index, KVEntry? Current, string? Error = null);

/// <summary>
/// The UI's KV writes. Every save and delete is a check-and-set against the ModifyIndex the
/// user loaded (0 for a new key), so a concurrent edit is reported, never overwritten.
/// </summary>
public sealed class KvWriter(ICommandLog log, StateStore store)
{
    public async Task<KvSaveResult> SaveAsync(string key, byte[] value, ulong flags, ulong loadedModifyIndex, CancellationToken ct = default)
    {
        var cmd = new KVCommand { Verb = KVOps.Cas, Key = key, Value = value, Flags = flags, ModifyIndex = loadedModifyIndex };
        return await RunAsync(cmd, key, ct);
    }

    public async Task<KvSaveResult> DeleteAsync(string key, ulong loadedModifyIndex, CancellationToken ct = default)
    {
        var cmd = new KVCommand { Verb = KVOps.DeleteCas, Key = key, ModifyIndex = loadedModifyIndex };
        return await RunAsync(cmd, key, ct);
    }

    /// <summary>Deletes every key under a folder prefix (Consul's recurse delete).</summary>
    public async Task<KvSaveResult> DeleteTreeAsync(string prefix, CancellationToken ct = default)
    {
        var result = await log.ApplyAsync(new KVCommand { Verb = KVOps.DeleteTree, Key = prefix }, ct);
        return result.Ok
            ? new KvSaveResult(KvSaveOutcome.Saved, result.Index, null)
            : new KvSaveResult(KvSaveOutcome.Failed, result.Index, null, result.Error);
    }

    private async Task<KvSaveResult> RunAsync(KVCommand cmd, string key, CancellationToken ct)
    {
        var result = await log.ApplyAsync(cmd, ct);
        store.Current.KV.TryGetValue(key, out var current);
        if (!result.Ok) return new KvSaveResult(KvSaveOutcome.Failed, result.Index, current, result.Error);
        return result.Value is true
            ? new KvSaveResult(KvSaveOutcome.Saved, result.Index, current)
            : new KvSaveResult(KvSaveOutcome.Conflict, result.Index, current);
    }
}
