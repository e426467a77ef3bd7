namespace Consul.Agent.Cli.Tls;

/// <summary>How `consul tls` writes its files (lib/file.WriteAtomicWithPerms): a temp file renamed into place, keys owner-only.</summary>
internal static class TlsFiles
{
    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

    public static void WriteAtomic(string path, string content, bool secret)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tmp, secret ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(tmp, path, overwrite: true);
    }
}
