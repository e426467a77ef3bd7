namespace Consul.Core.Raft.Storage;

/// <summary>
/// Durable storage failed (full disk, I/O error, corruption). A server that sees this
/// stops acknowledging writes: nothing is reported committed that is not on disk.
/// </summary>
public sealed class RaftStorageException(string message, Exception? inner = null) : IOException(message, inner);
