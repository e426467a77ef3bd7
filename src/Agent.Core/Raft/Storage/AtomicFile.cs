namespace Consul.Core.Raft.Storage;

/// <summary>Replaces a file all-or-nothing: write a temp file, fsync it, rename over the target, fsync the directory.</summary>
internal static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(fs);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
