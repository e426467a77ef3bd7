using System.Net;
using System.Net.Sockets;
using Consul.Agent.Cli;

namespace Consul.Tests.Cli;

/// <summary>Result of one CLI run.</summary>
public sealed record CliResult(int Code, string Stdout, string Stderr);

/// <summary>Runs CliDispatcher with captured streams and a controlled environment.</summary>
public static class CliRunner
{
    public static async Task<CliResult> RunAsync(string? httpAddr, string[] args, string stdin = "",
        Dictionary<string, string?>? env = null)
    {
        var environment = new Dictionary<string, string?>(env ?? new());
        if (httpAddr is not null) environment.TryAdd("CONSUL_HTTP_ADDR", httpAddr);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliDispatcher.RunAsync(args, stdout, stderr, new StringReader(stdin), environment);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A loopback port with nothing listening (bound, then released).</summary>
    public static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
