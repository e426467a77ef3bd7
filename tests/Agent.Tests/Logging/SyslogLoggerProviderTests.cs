using System.Net.Sockets;
using System.Text;
using Consul.Agent.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Logging;

public sealed class SyslogLoggerProviderTests : IDisposable
{
    private readonly LogDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 7, 9, 5, 1, TimeSpan.Zero));

    public SyslogLoggerProviderTests() => _time.SetLocalTimeZone(TimeZoneInfo.Utc);

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("LOCAL0", 128)]
    [InlineData("local7", 184)]
    [InlineData("USER", 8)]
    [InlineData("daemon", 24)]
    [InlineData("KERN", 0)]
    public void FacilityNamesAsGoSyslog(string name, int code) => Assert.Equal(code, SyslogLoggerProvider.FacilityCode(name));

    [Fact]
    public void UnknownFacilityIsNull() => Assert.Null(SyslogLoggerProvider.FacilityCode("LOCAL8"));

    [Fact]
    public void MessageIsGosLocalSyslogForm()
    {
        var t = new DateTimeOffset(2026, 3, 7, 9, 5, 1, TimeSpan.Zero);
        Assert.Equal("<133>Mar  7 09:05:01 consul[42]: agent: hi\n", SyslogLoggerProvider.Message(128 | 5, t, 42, "agent: hi"));
        Assert.Equal("<131>Mar 17 09:05:01 consul[42]: x\n", SyslogLoggerProvider.Message(131, t.AddDays(10), 42, "x\n"));
    }

    [Fact]
    public void NoSocketMeansNoProvider() =>
        Assert.Null(SyslogLoggerProvider.Connect([Path.Combine(_dir.Path, "missing.sock")], "LOCAL0", false, _time));

    [Fact]
    public void BadFacilityIsAStartError() =>
        Assert.Contains("invalid syslog facility", Assert.Throws<InvalidOperationException>(
            () => SyslogLoggerProvider.Connect([Path.Combine(_dir.Path, "missing.sock")], "LOCAL9", false, _time)).Message);

    [Fact]
    public void LinesReachALocalDatagramSyslogSocketWithLevelPriorities()
    {
        var path = Path.Combine(_dir.Path, "log.sock");
        using var daemon = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        daemon.Bind(new UnixDomainSocketEndPoint(path));
        daemon.ReceiveTimeout = 5000;

        var provider = SyslogLoggerProvider.Connect([Path.Combine(_dir.Path, "absent.sock"), path], "local0", false, _time);
        Assert.NotNull(provider);
        using (var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider)))
        {
            var log = factory.CreateLogger("agent.server");
            log.LogInformation("cluster leadership acquired");
            log.LogWarning("raft: heartbeat timeout reached");
            log.LogTrace("detail");
        }

        var pid = Environment.ProcessId;
        Assert.Equal($"<133>Mar  7 09:05:01 consul[{pid}]: agent.server: cluster leadership acquired\n", Receive(daemon));
        Assert.Equal($"<132>Mar  7 09:05:01 consul[{pid}]: agent.server: raft: heartbeat timeout reached\n", Receive(daemon));
        Assert.Equal($"<135>Mar  7 09:05:01 consul[{pid}]: agent.server: detail\n", Receive(daemon));
    }

    [Fact]
    public void JsonLinesGoToSyslogWhole()
    {
        var path = Path.Combine(_dir.Path, "log.sock");
        using var daemon = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        daemon.Bind(new UnixDomainSocketEndPoint(path));
        daemon.ReceiveTimeout = 5000;

        using (var provider = SyslogLoggerProvider.Connect([path], "USER", true, _time)!)
            provider.CreateLogger("agent").LogError("boom {Code}", 7);

        var message = Receive(daemon);
        Assert.StartsWith($"<11>Mar  7 09:05:01 consul[{Environment.ProcessId}]: {{", message);
        Assert.Contains("\"@level\":\"error\"", message);
        Assert.Contains("\"Code\":7", message);
    }

    private static string Receive(Socket daemon)
    {
        var buffer = new byte[8192];
        var n = daemon.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}

public sealed class SyslogAgentHostTests
{
    [Fact(Timeout = 30_000)]
    public async Task AgentStartsWithSyslogEnabledWhetherOrNotTheMachineHasASyslogSocket()
    {
        var config = Consul.Tests.Http.AgentTestHost.DefaultConfig() with { EnableSyslog = true, SyslogFacility = "LOCAL5" };
        await using var app = AgentHost.Build(config, b => Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.UseTestServer(b.WebHost));
        var providers = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetServices<ILoggerProvider>(app.Services);
        Assert.Equal(SyslogLoggerProvider.LocalSockets.Any(File.Exists), providers.OfType<SyslogLoggerProvider>().Any());
    }

    [Fact]
    public void UnknownFacilityStopsTheAgent()
    {
        var config = Consul.Tests.Http.AgentTestHost.DefaultConfig() with { EnableSyslog = true, SyslogFacility = "NOPE" };
        var e = Assert.Throws<InvalidOperationException>(() => AgentHost.Build(config));
        Assert.Equal("Failed to setup logging: invalid syslog facility \"NOPE\"", e.Message);
    }
}
