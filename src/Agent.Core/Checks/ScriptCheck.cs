using System.ComponentModel;
using System.Diagnostics;
using Consul.Core.Model;
using Consul.Core.Util;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckMonitor: runs Args directly (no shell), stdout and stderr captured together
/// (last OutputMaxSize bytes). Exit 0 passing, 1 warning, anything else critical. After Timeout
/// (default 30s) the process tree is killed and the check is critical with
/// "Timed out (30s) running check" — reported directly, bypassing the thresholds, as Consul does.
/// </summary>
internal sealed class ScriptCheck : IntervalCheck
{
    private readonly List<string> _args;
    private readonly TimeSpan _timeout;
    private readonly int _outputMax;

    public ScriptCheck(CheckSettings s) : base(s)
    {
        _args = s.Definition.EffectiveArgs!;
        _timeout = s.Durations.Timeout > TimeSpan.Zero ? s.Durations.Timeout : CheckDefaults.ScriptTimeout;
        _outputMax = s.OutputMaxSize;
    }

    protected override async Task CheckOnceAsync(CancellationToken stop)
    {
        if (ProgramLookup.Error(_args[0]) is { } notFound)
        {
            Log.LogError("Check {CheckId} failed to invoke: {Error}", CheckId, notFound);
            Notify(HealthStatus.Critical, notFound);
            return;
        }
        // Go gives the child one pipe for stdout and stderr, so their lines keep the order they
        // were written in. .NET's Process cannot share a pipe; `exec ... 2>&1` does it in the
        // child (no shell parsing of the arguments: they pass through "$@").
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // closed at once: the child reads EOF, like Go's nil Stdin
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" 2>&1");
        foreach (var a in _args) psi.ArgumentList.Add(a);

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            Log.LogError("Check {CheckId} failed to invoke: {Error}", CheckId, e.Message);
            Notify(HealthStatus.Critical, $"fork/exec /bin/sh: {e.Message}");
            return;
        }
        process.StandardInput.Close();

        var output = new OutputBuffer(_outputMax);
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, output),
            PumpAsync(process.StandardError.BaseStream, output));

        using var timer = new CancellationTokenSource(_timeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timer.Token);
        try
        {
            // Like Go's cmd.Wait, the timeout covers draining the output pipes too.
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            await pumps.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (stop.IsCancellationRequested) throw;
            var msg = $"Timed out ({GoDuration.Format(_timeout)}) running check";
            Log.LogWarning("Check {CheckId}: {Message}", CheckId, msg);
            var captured = output.ToCapturedOutput();
            if (captured.Length > 0) msg += "\n\n" + captured;
            Notify(HealthStatus.Critical, msg);
            // Wait for the process to go so two instances never overlap.
            await process.WaitForExitAsync(stop).ConfigureAwait(false);
            return;
        }

        var text = output.ToCapturedOutput();
        var status = process.ExitCode switch
        {
            0 => HealthStatus.Passing,
            1 => HealthStatus.Warning,
            _ => HealthStatus.Critical,
        };
        Report(status, text);
    }

    private static async Task PumpAsync(Stream from, OutputBuffer to)
    {
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = await from.ReadAsync(chunk).ConfigureAwait(false)) > 0) to.Write(chunk.AsSpan(0, n));
        }
        catch (IOException)
        {
            // The pipe broke because the process was killed; what was read is kept.
        }
    }

    private void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            Log.LogWarning("Check {CheckId} failed to kill after timeout: {Error}", CheckId, e.Message);
        }
    }

    /// <summary>Go's exec errors: exec: "x": executable file not found in $PATH, fork/exec /x: permission denied.</summary>
}
