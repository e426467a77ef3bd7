using Consul.Core.Raft;

namespace Consul.Tests.Raft.Sim;

/// <summary>One simulated server: a core while it is up, plus the disk that outlives crashes.</summary>
public sealed class SimNode
{
    public string Id { get; }
    public SimDisk Disk { get; } = new();
    public RaftCore? Core { get; private set; }
    public SimRegister Register { get; private set; } = new();
    public long RestartAtTick { get; set; } = -1;
    public int Incarnation { get; private set; }

    public SimNode(string id) { Id = id; }

    public bool Up => Core is not null;

    public void Start(RaftCoreOptions options, Random random)
    {
        Register = new SimRegister();
        if (Disk.Snapshot is not null && Disk.SnapshotData is not null) Register.Restore(Disk.SnapshotData);
        Core = new RaftCore(options, random, Disk.Hard, Disk.Snapshot, Disk.RecoveredEntries());
        Incarnation++;
    }

    public void Crash() => Core = null;
}
