using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// Current term and vote, the two facts Raft must never forget (forgetting a vote allows
/// two votes in one term). Each save is an fsynced atomic replace with a checksum.
/// </summary>
public sealed class StableStore
{
    private readonly string _path;

    public StableStore(string path) { _path = path; }

    public HardState Load()
    {
        if (!File.Exists(_path)) return default;
        var bytes = File.ReadAllBytes(_path);
        if (bytes.Length < 16 || Crc32.HashToUInt32(bytes.AsSpan(4)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes))
            throw new RaftStorageException($"raft: stable store {_path} is corrupt (checksum mismatch); refusing to start without the current term and vote");
        var term = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(4));
        var voteLen = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var vote = voteLen < 0 ? null : Encoding.UTF8.GetString(bytes, 16, voteLen);
        return new HardState(term, vote, 0);
    }

    public void Save(HardState state)
    {
        var vote = state.Vote is null ? [] : Encoding.UTF8.GetBytes(state.Vote);
        var bytes = new byte[16 + vote.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(4), state.Term);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), state.Vote is null ? -1 : vote.Length);
        vote.CopyTo(bytes, 16);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Crc32.HashToUInt32(bytes.AsSpan(4)));
        try { AtomicFile.Write(_path, s => s.Write(bytes)); }
        catch (IOException e) { throw new RaftStorageException($"raft: could not save term and vote ({e.Message})", e); }
    }
}
