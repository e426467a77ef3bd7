using Consul.Core.Raft.Storage;

namespace Consul.Tests.Raft;

public sealed class DirectorySyncTests
{
    [Fact]
    public void Flushes_an_existing_directory_and_reports_a_missing_one()
    {
        using var dir = new TempDir();
        DirectorySync.Flush(dir.Path);
        var missing = Path.Combine(dir.Path, "gone");
        var e = Assert.Throws<IOException>(() => DirectorySync.Flush(missing));
        Assert.Contains("errno 2", e.Message); // ENOENT: the call reached the kernel
    }
}
