using System.Text;

namespace Consul.Agent.Hosting;

/// <summary>
/// The log_file writer, with Consul's rotation rules (logging/logfile.go): the active file
/// keeps its configured name ("consul.log" when log_file names a directory) and is truncated
/// on open; when it is older than the rotation duration or has reached the byte limit, it is
/// renamed to "&lt;name&gt;-&lt;unix nanoseconds&gt;&lt;ext&gt;" and a new one is started. Of the rotated
/// files, max_files = 0 keeps all, -1 keeps none, n keeps the newest n.
/// </summary>
public sealed class RotatingLogFile : IDisposable
{
    public const string DefaultFileName = "consul.log";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly long _maxBytes;
    private readonly int _maxFiles;
    private readonly string _prefix;
    private readonly string _extension;
    private FileStream? _stream;
    private DateTimeOffset _created;
    private long _written;

    public RotatingLogFile(string logFile, TimeSpan duration, long maxBytes, int maxFiles, TimeProvider time)
    {
        (Directory, FileName) = Split(logFile);
        _duration = duration;
        _maxBytes = maxBytes;
        _maxFiles = maxFiles;
        _time = time;
        var ext = Path.GetExtension(FileName);
        _prefix = FileName[..^ext.Length] + "-";
        _extension = ext.Length == 0 ? ".log" : ext;
    }

    public string Directory { get; }
    public string FileName { get; }
    public string ActivePath => Path.Combine(Directory, FileName);

    /// <summary>
    /// Where the log goes: a path ending in a separator, or naming an existing directory, gets
    /// "consul.log" inside it; a bare name is relative to the working directory.
    /// </summary>
    public static (string Directory, string FileName) Split(string logFile)
    {
        if (logFile.EndsWith('/') || logFile.EndsWith(Path.DirectorySeparatorChar) || System.IO.Directory.Exists(logFile))
            return (logFile, DefaultFileName);
        return (Path.GetDirectoryName(logFile) ?? "", Path.GetFileName(logFile));
    }

    /// <summary>Prunes old rotated files and starts the active file, as the agent does at start. Throws IOException and the like.</summary>
    public void Open()
    {
        lock (_gate)
        {
            Prune();
            OpenNew();
        }
    }

    /// <summary>Appends one line (newline included), rotating first when due.</summary>
    public void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            if (_stream is null) OpenNew();
            else if (RotationDue())
            {
                _stream.Dispose();
                _stream = null;
                ArchiveActive();
                Prune();
                OpenNew();
            }
            _written += bytes.Length;
            _stream!.Write(bytes);
        }
    }

    /// <summary>The rotated files, oldest first (their names sort by time).</summary>
    public IReadOnlyList<string> RotatedFiles()
    {
        var dir = Directory.Length == 0 ? "." : Directory;
        if (!System.IO.Directory.Exists(dir)) return [];
        return System.IO.Directory.EnumerateFiles(dir)
            .Where(f => IsRotatedName(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private bool RotationDue() =>
        (_maxBytes > 0 && _written >= _maxBytes) || _time.GetUtcNow() - _created >= _duration;

    private void OpenNew()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, // unbuffered: every line is in the file once written, as with Go's os.File
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        _stream = new FileStream(ActivePath, options);
        _created = _time.GetUtcNow();
        _written = 0;
    }

    private void ArchiveActive()
    {
        var nanos = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        // Consul's names are unique by the clock's nanoseconds; a coarse (or fake) clock could repeat one.
        string target;
        while (File.Exists(target = Path.Combine(Directory, $"{_prefix}{nanos}{_extension}"))) nanos++;
        File.Move(ActivePath, target);
    }

    private void Prune()
    {
        if (_maxFiles == 0) return;
        var rotated = RotatedFiles();
        var remove = _maxFiles < 0 ? rotated.Count : rotated.Count - _maxFiles;
        for (var i = 0; i < remove; i++) File.Delete(rotated[i]);
    }

    private bool IsRotatedName(string name) =>
        name.Length >= _prefix.Length + _extension.Length
        && name.StartsWith(_prefix, StringComparison.Ordinal)
        && name.EndsWith(_extension, StringComparison.Ordinal);
}
