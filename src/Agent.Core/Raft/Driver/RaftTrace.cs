namespace Consul.Core.Raft;

/// <summary>
/// Optional per-entry timing hook for latency investigations (bench/raft with RAFT_TRACE=1
/// records a timestamp per stage and entry index). Null outside such runs, so each stage
/// costs one static read.
/// </summary>
public static class RaftTrace
{
    /// <summary>Called with a stage name and the log index it concerns.</summary>
    public static Action<string, ulong>? Mark { get; set; }

    /// <summary>The entry a message is about: last entry of an append, match index of an accepted append response.</summary>
    internal static ulong KeyOf(RaftMessage m) => m.Type switch
    {
        MessageType.Append when m.Entries.Length > 0 => m.Entries[^1].Index,
        MessageType.AppendResp when !m.Reject => m.Index,
        _ => 0,
    };

    internal static void Message(string stage, RaftMessage m)
    {
        if (Mark is { } mark && KeyOf(m) is var key and > 0) mark(stage + (m.Type == MessageType.Append ? ".append" : ".ack"), key);
    }
}
