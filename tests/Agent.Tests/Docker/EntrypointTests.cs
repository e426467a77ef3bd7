using System.Diagnostics;

namespace Consul.Tests.Docker;

/// <summary>
/// Runs docker-entrypoint.sh without Docker: stub `consul`, `ip`, `setpriv`, `setcap` and
/// `chown` on PATH record what the script would execute, for each documented case.
/// </summary>
public sealed class EntrypointTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("entrypoint-").FullName;
    private readonly string _bin;
    private readonly string _data;
    private readonly string _config;
    private readonly string _log;

    public EntrypointTests()
    {
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        _data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        _config = Directory.CreateDirectory(Path.Combine(_root, "config")).FullName;
        _log = Path.Combine(_root, "calls.log");
        // Every stub appends "name args..." to the log; consul and setpriv are the exec'd commands.
        foreach (var name in new[] { "consul", "setcap", "chown" })
            Stub(name, $"echo \"{name} $*\" >> {_log}");
        Stub("setpriv", $"echo \"setpriv $*\" >> {_log}");
        // `ip -o -4 addr list IF`: eth0 has an address, eth1 has none.
        Stub("ip", "if [ \"$5\" = eth0 ]; then echo '2: eth0    inet 172.20.0.5/16 brd 172.20.255.255 scope global eth0'; fi");
    }

    private void Stub(string name, string body)
    {
        var path = Path.Combine(_bin, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private (int Exit, string Output, string Calls) Run(Dictionary<string, string>? env, params string[] args)
    {
        var script = Path.Combine(RepoRoot(), "docker-entrypoint.sh");
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = _bin + ":/usr/bin:/bin";
        psi.Environment["CONSUL_BIN"] = Path.Combine(_bin, "consul");
        psi.Environment["CONSUL_DATA_DIR"] = _data;
        psi.Environment["CONSUL_CONFIG_DIR"] = _config;
        psi.Environment["CONSUL_DISABLE_PERM_MGMT"] = "1";
        foreach (var (k, v) in env ?? new()) psi.Environment[k] = v;
        foreach (var k in env?.Where(e => e.Value == "<unset>").Select(e => e.Key) ?? []) psi.Environment.Remove(k);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(10_000), "entrypoint did not finish");
        var calls = File.Exists(_log) ? File.ReadAllText(_log).Trim() : "";
        return (p.ExitCode, output, calls);
    }

    private static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Consul.Web.sln"))) dir = Path.GetDirectoryName(dir)!;
        return dir;
    }

    [Fact]
    public void DefaultCommandRunsDevAgent()
    {
        var r = Run(null, "agent", "-dev", "-client", "0.0.0.0");
        Assert.Equal(0, r.Exit);
        Assert.Equal($"consul agent -data-dir={_data} -config-dir={_config} -dev -client 0.0.0.0", r.Calls);
    }

    [Fact]
    public void LeadingFlagIsPassedToAgent()
    {
        var r = Run(null, "-server", "-bootstrap-expect=3");
        Assert.Equal($"consul agent -data-dir={_data} -config-dir={_config} -server -bootstrap-expect=3", r.Calls);
    }

    [Fact]
    public void BindAndClientInterfacesResolveToAddresses()
    {
        var r = Run(new() { ["CONSUL_BIND_INTERFACE"] = "eth0", ["CONSUL_CLIENT_INTERFACE"] = "eth0" }, "agent", "-server");
        Assert.Equal(0, r.Exit);
        Assert.Contains("Found address '172.20.0.5' for interface 'eth0', setting bind option...", r.Output);
        Assert.Equal($"consul agent -data-dir={_data} -config-dir={_config} -bind=172.20.0.5 -client=172.20.0.5 -server", r.Calls);
    }

    [Fact]
    public void InterfaceWithoutAddressStopsWithClearError()
    {
        var r = Run(new() { ["CONSUL_BIND_INTERFACE"] = "eth1" }, "agent");
        Assert.Equal(1, r.Exit);
        Assert.Contains("Could not find IP for interface 'eth1', exiting", r.Output);
        Assert.Equal("", r.Calls);
    }

    [Fact]
    public void LocalConfigIsWrittenToConfigDir()
    {
        var json = "{\"datacenter\":\"east\",\"server\":true}";
        Run(new() { ["CONSUL_LOCAL_CONFIG"] = json }, "agent");
        Assert.Equal(json, File.ReadAllText(Path.Combine(_config, "local.json")).Trim());
    }

    [Fact]
    public void ConsulSubcommandsRunAsConsul()
    {
        var r = Run(null, "members", "-detailed");
        Assert.Equal("consul members -detailed", r.Calls);
    }

    [Fact]
    public void OtherCommandsRunAsIs()
    {
        var r = Run(null, "sh", "-c", "echo hello-from-shell");
        Assert.Equal(0, r.Exit);
        Assert.Contains("hello-from-shell", r.Output);
        Assert.Equal("", r.Calls);
    }

    [Fact]
    public void AsRootDropsToConsulUserAndGrantsPrivilegedPorts()
    {
        if (Environment.UserName != "root") return; // the permission branch only runs as root
        var r = Run(new()
        {
            ["CONSUL_DISABLE_PERM_MGMT"] = "<unset>",
            ["CONSUL_UID"] = "4242", ["CONSUL_GID"] = "4343",
            ["CONSUL_ALLOW_PRIVILEGED_PORTS"] = "",
        }, "agent", "-dev");
        var lines = r.Calls.Split('\n');
        Assert.Contains($"chown 4242:4343 {_data}", lines);
        Assert.Contains($"chown 4242:4343 {_config}", lines);
        Assert.Contains(lines, l => l.StartsWith("setcap cap_net_bind_service=+ep ", StringComparison.Ordinal));
        Assert.Equal($"setpriv --reuid=4242 --regid=4343 --init-groups {Path.Combine(_bin, "consul")} agent -data-dir={_data} -config-dir={_config} -dev", lines[^1]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
