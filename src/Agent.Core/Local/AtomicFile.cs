namespace Consul.Core.Local;

/// <summary>
/// Writes a file so a crash leaves either the old or the new content, never a torn one
/// (Consul's file.WriteAtomic): write a temp file next to it with mode 0600, flush it to
/// disk, then rename it over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Suffix of the temp file; loaders skip names ending in "tmp", as Consul does.</summary>
    public const string TempSuffix = ".tmp";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDir = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var dir = Path.GetDirectoryName(path)!;
        CreateDirectory(dir);
        var temp = path + TempSuffix;
        // A leftover temp file would keep its old mode: UnixCreateMode applies on creation only.
        File.Delete(temp);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates the directory (and parents) with mode 0700 where it does not exist.</summary>
    public static void CreateDirectory(string dir)
    {
        if (Directory.Exists(dir)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
        else Directory.CreateDirectory(dir, OwnerOnlyDir);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
