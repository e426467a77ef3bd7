using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Consul.Core.Raft.Storage;

/// <summary>
/// Preallocation and fdatasync for WAL segments on Linux (as etcd's WAL does). A segment
/// whose size is fixed up front needs no inode size update per append, so fdatasync writes
/// the data and flushes the disk cache without a journal commit for the metadata (fsync, as
/// FileStream.Flush(true) does, also commits the inode). .NET has neither call, hence libc;
/// elsewhere both fall back (no preallocation, full flush).
/// </summary>
internal static class FileSync
{
    [DllImport("libc", EntryPoint = "posix_fallocate", SetLastError = false)]
    private static extern int PosixFallocate(int fd, long offset, long length);

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int Fdatasync(int fd);

    /// <summary>Reserves <paramref name="bytes"/> on disk and sets the file's length to it. False if the platform or file system cannot.</summary>
    public static bool TryPreallocate(SafeFileHandle file, long bytes)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return PosixFallocate((int)file.DangerousGetHandle(), 0, bytes) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a libc without it (or named otherwise): plain appends with full fsyncs
        }
    }

    /// <summary>Makes a preallocated file's data (and the metadata needed to read it back) durable; Linux only, like preallocation.</summary>
    public static void DataSync(FileStream file)
    {
        file.Flush(flushToDisk: false);
        if (Fdatasync((int)file.SafeFileHandle.DangerousGetHandle()) != 0)
            throw new IOException($"fdatasync {file.Name} failed (errno {Marshal.GetLastPInvokeError()})");
    }
}
