namespace Consul.Tests.Logging;

/// <summary>A fresh temporary directory for log files, removed on dispose.</summary>
public sealed class LogDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "consul-log-tests-" + Guid.NewGuid().ToString("N"));

    public LogDir() => Directory.CreateDirectory(Path);

    public string[] Files() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    public string Read(string name) => File.ReadAllText(System.IO.Path.Combine(Path, name));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
