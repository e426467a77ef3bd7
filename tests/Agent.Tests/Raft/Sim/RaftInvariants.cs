using Consul.Core.Raft;

namespace Consul.Tests.Raft.Sim;

/// <summary>
/// Safety properties checked on every step of a simulation. Any violation throws with
/// a description; the harness adds the seed so the run can be replayed.
/// </summary>
public sealed class RaftInvariants
{
    private readonly Dictionary<ulong, string> _leaders = new();
    private readonly Dictionary<(ulong Index, ulong Term), (ulong PrevTerm, int Hash)> _entries = new();
    private readonly Dictionary<ulong, (ulong Term, int Hash)> _committed = new();
    private readonly Dictionary<long, ulong> _proposalIndex = new();

    public int CommittedCount => _committed.Count;
    public IReadOnlyDictionary<ulong, (ulong Term, int Hash)> Committed => _committed;

    private static int Hash(LogEntry e)
    {
        var h = new HashCode();
        h.Add(e.Type);
        h.AddBytes(e.Data);
        return h.ToHashCode();
    }

    /// <summary>Election safety: at most one leader per term.</summary>
    public void ObserveLeader(string id, ulong term)
    {
        if (_leaders.TryGetValue(term, out var other) && other != id)
            throw new RaftInvariantException($"two leaders in term {term}: {other} and {id}");
        _leaders[term] = id;
    }

    /// <summary>Log matching: an (index, term) pair identifies one entry and one predecessor term.</summary>
    public void ObservePersisted(string node, LogEntry e, ulong prevTerm)
    {
        var key = (e.Index, e.Term);
        var value = (prevTerm, Hash(e));
        if (_entries.TryGetValue(key, out var known) && known != value)
            throw new RaftInvariantException($"log matching violated on {node} at index {e.Index} term {e.Term}: prev term {prevTerm} vs {known.PrevTerm}");
        _entries[key] = value;
    }

    /// <summary>Leader completeness / state machine safety: an index once committed never holds another entry.</summary>
    public void ObserveCommitted(string node, LogEntry e)
    {
        var value = (e.Term, Hash(e));
        if (_committed.TryGetValue(e.Index, out var known) && known != value)
            throw new RaftInvariantException($"committed entry changed on {node} at index {e.Index}: term {e.Term} vs {known.Term}");
        _committed[e.Index] = value;
    }

    /// <summary>Exactly-once: a proposal id is applied at only one index, cluster-wide.</summary>
    public void ObserveApplied(string node, LogEntry e)
    {
        ObserveCommitted(node, e);
        if (e.Type != EntryType.Command) return;
        var id = RegisterCommand.Decode(e.Data).Id;
        if (_proposalIndex.TryGetValue(id, out var idx) && idx != e.Index)
            throw new RaftInvariantException($"proposal {id} applied at index {e.Index} on {node} but at {idx} elsewhere");
        _proposalIndex[id] = e.Index;
    }

    public ulong? IndexOfProposal(long id) => _proposalIndex.TryGetValue(id, out var i) ? i : null;
}

public sealed class RaftInvariantException(string message) : Exception(message);
