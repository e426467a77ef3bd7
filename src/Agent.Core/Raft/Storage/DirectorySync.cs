using System.Runtime.InteropServices;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// fsync of a directory, so a file just created or renamed into it survives a power loss
/// (fsync of the file alone does not make its directory entry durable on Linux).
/// .NET has no API for it, hence libc. Elsewhere it does nothing.
/// </summary>
internal static class DirectorySync
{
    private const int ORdonly = 0, ODirectory = 0x10000;

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(directory, ORdonly | ODirectory);
        if (fd < 0) throw new IOException($"open {directory} for fsync failed (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            Close(fd);
        }
    }
}
