using System.Net;
using Consul.Agent.Config;

namespace Consul.Tests.Config;

/// <summary>A temporary directory for config files and data dirs, plus a fake host.</summary>
public sealed class ConfigFixture : IDisposable
{
    public ConfigFixture()
    {
        Dir = Path.Combine(Path.GetTempPath(), "consul-config-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
        DataDir = Path.Combine(Dir, "data");
    }

    public string Dir { get; }

    public string DataDir { get; }

    /// <summary>The fake host: loopback plus one private and one public address on eth0.</summary>
    internal static IReadOnlyList<InterfaceAddress> HostAddresses { get; } =
    [
        new("lo", IPAddress.Parse("127.0.0.1")),
        new("eth0", IPAddress.Parse("10.1.2.3")),
        new("eth0", IPAddress.Parse("fe80::1")),
        new("eth1", IPAddress.Parse("203.0.113.7")),
    ];

    internal LoadOptions Options(IReadOnlyList<InterfaceAddress>? addresses = null) => new()
    {
        Hostname = () => "test-host",
        Addresses = () => addresses ?? HostAddresses,
        Random = new Random(42),
    };

    public string Write(string name, string content)
    {
        var path = Path.Combine(Dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Loads with -data-dir set (unless -dev is given) and the fake host.</summary>
    internal AgentConfig Load(params string[] args)
    {
        var all = args.Contains("-dev") || args.Any(a => a.StartsWith("-data-dir", StringComparison.Ordinal))
            ? args
            : ["-data-dir=" + DataDir, .. args];
        return AgentConfigLoader.Load(all, null, Options());
    }

    internal string Error(params string[] args) => Assert.Throws<ConfigException>(() => Load(args)).Message;

    /// <summary>Loads one JSON file and returns the error message.</summary>
    internal string JsonError(string json, params string[] args)
    {
        var path = Write($"e{Guid.NewGuid():N}.json", json);
        return Error(["-config-file=" + path, .. args]);
    }

    internal AgentConfig LoadJson(string json, params string[] args)
    {
        var path = Write($"c{Guid.NewGuid():N}.json", json);
        return Load(["-config-file=" + path, .. args]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
