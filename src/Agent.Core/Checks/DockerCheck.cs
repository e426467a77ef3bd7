using System.Net;
using Consul.Core.Model;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckDocker: runs Args inside DockerContainerID through the Engine exec API
/// (Docker.DotNet), output captured like a script check. Exit 0 passing, 1 warning, else
/// critical; an API or connection error is critical with Consul's "create exec failed ..."
/// texts. Like Consul, Args are run directly; Shell only applied to the retired Script field.
/// </summary>
internal sealed class DockerCheck : IntervalCheck
{
    private readonly string _container;
    private readonly List<string> _args;
    private readonly int _outputMax;
    private readonly string _host;
    private readonly DockerClient _client;

    public DockerCheck(CheckSettings s) : base(s)
    {
        _container = s.Definition.DockerContainerID!;
        _args = s.Definition.EffectiveArgs!;
        _outputMax = s.OutputMaxSize;
        _host = s.Options.DockerHost;
        // Consul refuses the check when DOCKER_HOST can't be parsed.
        if (!_host.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(_host, UriKind.Absolute, out var endpoint))
            throw new ArgumentException($"unable to parse docker host `{_host}`");
        _client = new DockerClientConfiguration(endpoint).CreateClient();
    }

    protected override void OnStopped() => _client.Dispose();

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        string execId;
        try
        {
            var created = await _client.Exec.ExecCreateContainerAsync(_container, new ContainerExecCreateParameters
            {
                AttachStdout = true,
                AttachStderr = true,
                Cmd = _args,
            }, stop).ConfigureAwait(false);
            execId = created.ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            Report(HealthStatus.Critical, $"create exec failed for unknown container {_container}");
            return;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            Report(HealthStatus.Critical, $"create exec failed since container {_container} is paused or stopped");
            return;
        }
        catch (DockerApiException e)
        {
            Report(HealthStatus.Critical, $"create exec failed for container {_container} with status {(int)e.StatusCode}: {e.ResponseBody}");
            return;
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is not OperationCanceledException)
        {
            Report(HealthStatus.Critical, $"create exec failed for container {_container}: {Unreachable("containers/" + _container + "/exec", e)}");
            return;
        }

        var output = new OutputBuffer(_outputMax);
        try
        {
            using var stream = await _client.Exec.StartAndAttachContainerExecAsync(execId, false, stop).ConfigureAwait(false);
            var chunk = new byte[4096];
            while (true)
            {
                var read = await stream.ReadOutputAsync(chunk, 0, chunk.Length, stop).ConfigureAwait(false);
                if (read.EOF) break;
                output.Write(chunk.AsSpan(0, read.Count));
            }
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is not OperationCanceledException)
        {
            Report(HealthStatus.Critical, $"start exec failed for container {_container}: {e.Message}");
            return;
        }

        long exitCode;
        try
        {
            var inspect = await _client.Exec.InspectContainerExecAsync(execId, stop).ConfigureAwait(false);
            exitCode = inspect.ExitCode;
        }
        catch (Exception e) when (!stop.IsCancellationRequested && e is not OperationCanceledException)
        {
            Report(HealthStatus.Critical, $"inspect exec failed for container {_container}: {e.Message}");
            return;
        }

        var status = exitCode switch
        {
            0 => HealthStatus.Passing,
            1 => HealthStatus.Warning,
            _ => HealthStatus.Critical,
        };
        Report(status, output.ToCapturedOutput());
    }

    /// <summary>Go-style text for an unreachable daemon, naming the endpoint that was tried.</summary>
    private string Unreachable(string path, Exception e)
    {
        var uri = new Uri(_host);
        var network = uri.Scheme is "unix" or "npipe" ? uri.Scheme : "tcp";
        var address = network == "tcp" ? $"{uri.Host}:{uri.Port}" : uri.AbsolutePath;
        var reason = GoErrorText.Find<System.Net.Sockets.SocketException>(e) is { } se
            ? $"dial {network} {address}: {UnixReason(network, se) ?? GoErrorText.SocketReason(se, "connect")}"
            : e.InnerException?.Message ?? e.Message;
        return $"Post \"http://docker/{path}\": {reason} (is the Docker daemon running at {_host}? set DOCKER_HOST to use another)";
    }

    /// <summary>.NET reports a missing unix socket file (ENOENT) as AddressNotAvailable; Go says what it is.</summary>
    private static string? UnixReason(string network, System.Net.Sockets.SocketException se) =>
        network == "unix" && se.SocketErrorCode == System.Net.Sockets.SocketError.AddressNotAvailable
            ? "connect: no such file or directory"
            : null;
}
