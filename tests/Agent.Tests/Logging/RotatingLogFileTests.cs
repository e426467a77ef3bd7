using Consul.Agent.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Logging;

public sealed class RotatingLogFileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly LogDir _dir = new();
    private readonly FakeTimeProvider _time = new(Start);

    public void Dispose() => _dir.Dispose();

    private RotatingLogFile Open(TimeSpan? duration = null, long bytes = 0, int maxFiles = 0, string? name = null)
    {
        var file = new RotatingLogFile(Path.Combine(_dir.Path, name ?? ""), duration ?? TimeSpan.FromHours(24), bytes, maxFiles, _time);
        file.Open();
        return file;
    }

    private static string Nanos(DateTimeOffset t) => ((t - DateTimeOffset.UnixEpoch).Ticks * 100).ToString();

    [Fact]
    public void DirectoryPathGetsConsulLogInside()
    {
        Assert.Equal(("/var/log/consul/", "consul.log"), RotatingLogFile.Split("/var/log/consul/"));
        Assert.Equal((_dir.Path, "consul.log"), RotatingLogFile.Split(_dir.Path));
        Assert.Equal(("/var/log", "agent.log"), RotatingLogFile.Split("/var/log/agent.log"));
        Assert.Equal(("", "agent.log"), RotatingLogFile.Split("agent.log"));
    }

    [Fact]
    public void WritesLinesToTheActiveFileAndTruncatesAnOldOneAtOpen()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "consul.log"), "from the last run\n");
        using (var file = Open())
        {
            Assert.Equal("", _dir.Read("consul.log"));
            file.Write("one\n");
            file.Write("two\n");
            // Unbuffered: readable while the file is still open.
            Assert.Equal("one\ntwo\n", _dir.Read("consul.log"));
        }
        Assert.Equal(["consul.log"], _dir.Files());
    }

    [Fact]
    public void RotatesWhenTheByteLimitIsReached()
    {
        using var file = Open(bytes: 10);
        file.Write("hello\n");          // 6 bytes: under the limit
        file.Write("world\n");          // 12 bytes now: the next write rotates first
        _time.Advance(TimeSpan.FromSeconds(1));
        file.Write("third\n");

        var rotated = $"consul-{Nanos(Start.AddSeconds(1))}.log";
        Assert.Equal([rotated, "consul.log"], _dir.Files());
        Assert.Equal("hello\nworld\n", _dir.Read(rotated));
        Assert.Equal("third\n", _dir.Read("consul.log"));
    }

    [Fact]
    public void ZeroBytesMeansNoSizeLimit()
    {
        using var file = Open(bytes: 0);
        for (var i = 0; i < 100; i++) file.Write(new string('x', 1000) + "\n");
        Assert.Equal(["consul.log"], _dir.Files());
    }

    [Fact]
    public void RotatesWhenTheFileIsOlderThanTheDuration()
    {
        using var file = Open(duration: TimeSpan.FromHours(1));
        file.Write("a\n");
        _time.Advance(TimeSpan.FromMinutes(59));
        file.Write("b\n");
        Assert.Equal(["consul.log"], _dir.Files());

        _time.Advance(TimeSpan.FromMinutes(1));
        file.Write("c\n");
        Assert.Equal(2, _dir.Files().Length);
        Assert.Equal("c\n", _dir.Read("consul.log"));
        Assert.Equal("a\nb\n", _dir.Read($"consul-{Nanos(Start.AddHours(1))}.log"));

        // The new file's age counts from its creation.
        _time.Advance(TimeSpan.FromMinutes(30));
        file.Write("d\n");
        Assert.Equal(2, _dir.Files().Length);
    }

    [Fact]
    public void RotatedNameKeepsTheConfiguredNameAndExtension()
    {
        using var file = Open(bytes: 1, name: "agent.txt");
        file.Write("a\n");
        file.Write("b\n");
        Assert.Equal(["agent-" + Nanos(Start) + ".txt", "agent.txt"], _dir.Files());
    }

    [Fact]
    public void RotationsAtTheSameInstantDoNotOverwriteEachOther()
    {
        using var file = Open(bytes: 1);
        foreach (var s in new[] { "a\n", "b\n", "c\n" }) file.Write(s);
        Assert.Equal(3, _dir.Files().Length);
        Assert.Equal("c\n", _dir.Read("consul.log"));
    }

    private void RotateTimes(RotatingLogFile file, int n)
    {
        file.Write("0\n");
        for (var i = 1; i <= n; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            file.Write($"{i}\n");
        }
    }

    [Fact]
    public void MaxFilesKeepsTheNewestRotatedFiles()
    {
        using var file = Open(bytes: 1, maxFiles: 2);
        RotateTimes(file, 4);
        var rotated = file.RotatedFiles().Select(File.ReadAllText).ToArray();
        Assert.Equal(["2\n", "3\n"], rotated);
        Assert.Equal("4\n", _dir.Read("consul.log"));
    }

    [Fact]
    public void MaxFilesZeroKeepsAll()
    {
        using var file = Open(bytes: 1, maxFiles: 0);
        RotateTimes(file, 4);
        Assert.Equal(4, file.RotatedFiles().Count);
    }

    [Fact]
    public void MaxFilesMinusOneKeepsNone()
    {
        using var file = Open(bytes: 1, maxFiles: -1);
        RotateTimes(file, 3);
        Assert.Equal(["consul.log"], _dir.Files());
        Assert.Equal("3\n", _dir.Read("consul.log"));
    }

    [Fact]
    public void OpenPrunesRotatedFilesOfAnEarlierRun()
    {
        foreach (var n in new[] { "consul-100.log", "consul-200.log", "consul-300.log", "other.log" })
            File.WriteAllText(Path.Combine(_dir.Path, n), n);
        using var file = Open(maxFiles: 1);
        Assert.Equal(["consul-300.log", "consul.log", "other.log"], _dir.Files());
    }
}
