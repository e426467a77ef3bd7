using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Consul.Core.Util;

namespace Consul.Agent.Cli;

/// <summary>
/// `consul lock`: holds a lock (-n 1) or a semaphore slot (-n &gt; 1) under a KV prefix while
/// a child runs (command/lock). The child is stopped when the lock is lost or on SIGINT/SIGTERM;
/// the lock is released and cleaned up when the child ends.
/// </summary>
internal sealed class LockCommand : ApiCommand
{
    /// <summary>lockKillGracePeriod: SIGTERM to SIGKILL.</summary>
    private static readonly TimeSpan KillGracePeriod = TimeSpan.FromSeconds(5);
    private const int DefaultMonitorRetry = 3;
    private static readonly TimeSpan MonitorRetryTime = TimeSpan.FromSeconds(1);

    private int _limit = 1, _monitorRetry = DefaultMonitorRetry;
    private string _name = "";
    private bool _passStdin, _shell = true, _verbose, _childExitCode;
    private TimeSpan _timeout;

    private readonly object _childLock = new();
    private Process? _child;
    private bool _noMoreChildren;

    public LockCommand()
    {
        Flags.Bool("child-exit-code",
            "Exit 2 if the child process exited with an error if this is true, " +
            "otherwise this doesn't propagate an error from the child. The " +
            "default value is false.", v => _childExitCode = v);
        Flags.Add(IntFlag("n",
            "Optional limit on the number of concurrent lock holders. The underlying " +
            "implementation switches from a lock to a semaphore when the value is " +
            "greater than 1. The default value is 1.", 1, v => _limit = v));
        Flags.Add(IntFlag("monitor-retry",
            "Number of times to retry if Consul returns a 500 error while monitoring " +
            "the lock. This allows riding out brief periods of unavailability " +
            "without causing leader elections, but increases the amount of time " +
            "required to detect a lost lock in some cases. The default value is 3, " +
            "with a 1s wait between retries. Set this value to 0 to disable retires.", DefaultMonitorRetry, v => _monitorRetry = v));
        Flags.String("name",
            "Optional name to associate with the lock session. It not provided, one " +
            "is generated based on the provided child command.", v => _name = v);
        Flags.Bool("pass-stdin", "Pass stdin to the child process.", v => _passStdin = v);
        Flags.Add(new GoFlag
        {
            Name = "shell", Kind = GoFlagKind.Bool, DefValue = "true",
            Usage = "Use a shell to run the command (can set a custom shell via the SHELL " +
                    "environment variable).",
            Set = v =>
            {
                if (!GoFlagSet.TryParseGoBool(v, out var b)) return "parse error";
                _shell = b;
                return null;
            },
        });
        Flags.Add(DurationFlag("timeout",
            "Maximum amount of time to wait to acquire the lock, specified as a " +
            "duration like \"1s\" or \"3h\". The default value is 0."));
        Flags.Bool("verbose", "Enable verbose (debugging) output.", v => _verbose = v);
        Flags.Add(DurationFlag("try", "DEPRECATED. Use -timeout instead."));
        AddHttpFlags(serverFlags: true);
    }

    public override string Synopsis => "Execute a command holding a lock";

    protected override string HelpText => """

        Usage: consul lock [options] prefix child...

          Acquires a lock or semaphore at a given path, and invokes a child process
          when successful. The child process can assume the lock is held while it
          executes. If the lock is lost or communication is disrupted the child
          process will be sent a SIGTERM signal and given time to gracefully exit.
          After the grace period expires the process will be hard terminated.

          For Consul agents on Windows, the child process is always hard terminated
          with a SIGKILL, since Windows has no POSIX compatible notion for SIGTERM.

          When -n=1, only a single lock holder or leader exists providing mutual
          exclusion. Setting a higher value switches to a semaphore allowing multiple
          holders to coordinate.

          The prefix provided must have write privileges.

        """;

    private static GoFlag IntFlag(string name, string usage, int def, Action<int> set) => new()
    {
        Name = name, Usage = usage, Kind = GoFlagKind.Int, DefValue = def.ToString(CultureInfo.InvariantCulture),
        Set = v =>
        {
            if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                return v.TrimStart('-', '+').All(char.IsAsciiDigit) && v.TrimStart('-', '+').Length > 0 ? "value out of range" : "parse error";
            set(n);
            return null;
        },
    };

    private GoFlag DurationFlag(string name, string usage) => new()
    {
        Name = name, Usage = usage, Kind = GoFlagKind.Value, DefValue = "0s",
        Set = v =>
        {
            if (!GoDuration.TryParse(v, out var d)) return "parse error";
            _timeout = d;
            return null;
        },
    };

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } extra) return 1;
        if (_limit <= 0)
        {
            ctx.Err("Lock holder limit must be positive");
            return 1;
        }
        if (extra.Count < 2)
        {
            ctx.Err("Key prefix and child command must be specified");
            return 1;
        }
        var prefix = extra[0].StartsWith('/') ? extra[0][1..] : extra[0];
        var childArgs = extra.Skip(1).ToList();
        if (_timeout < TimeSpan.Zero)
        {
            ctx.Err("Timeout must be positive");
            return 1;
        }
        if (_name.Length == 0) _name = $"Consul lock for '{string.Join(' ', childArgs)}' at '{prefix}'";
        var oneshot = _timeout > TimeSpan.Zero;
        if (_monitorRetry < 0)
        {
            ctx.Err("Number for 'monitor-retry' must be >= 0");
            return 1;
        }

        // The lock must still be released after a signal, so requests do not follow ctx.Cancellation.
        var detached = new CliContext(ctx.Stdout, ctx.Stderr, ctx.Stdin, ctx.Env, CancellationToken.None);
        if (CreateClient(detached) is not { } client) return 1;
        try
        {
            await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/self");
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying Consul agent: {e.Message}");
            return 1;
        }

        using var shutdown = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => OnSignal(c, LockSignals.SIGINT, shutdown, ctx));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => OnSignal(c, LockSignals.SIGTERM, shutdown, ctx));
        return await RunHoldingAsync(client, prefix, childArgs, oneshot, ctx, shutdown.Token);
    }

    private async Task<int> RunHoldingAsync(ConsulApiClient client, string prefix, List<string> childArgs, bool oneshot,
        CliContext ctx, CancellationToken shutdown)
    {
        var kv = new LockKvClient(client);
        var options = new LockOptions(_name, oneshot, oneshot ? _timeout : LockOptions.DefaultWaitTime, _monitorRetry, MonitorRetryTime);
        ILockHolder holder;
        if (_limit == 1)
        {
            var key = LockKvClient.PathJoin(prefix, ".lock");
            if (_verbose) ctx.Out($"Setting up lock at path: {key}");
            holder = new LockMutex(kv, key, options, TimeProvider.System);
        }
        else
        {
            if (_verbose) ctx.Out($"Setting up semaphore (limit {_limit}) at prefix: {prefix}");
            holder = new LockSemaphore(kv, prefix, _limit, options, TimeProvider.System);
        }

        if (_verbose) ctx.Out("Attempting lock acquisition");
        Task? lost;
        try
        {
            lost = await holder.AcquireAsync(shutdown);
        }
        catch (LockException e)
        {
            ctx.Err($"Lock acquisition failed: {e.Message}");
            return 1;
        }
        if (lost is null)
        {
            ctx.Err("Shutdown triggered or timeout during lock acquisition");
            return 1;
        }

        var childCode = 0;
        if (shutdown.IsCancellationRequested)
        {
            ctx.Err("Shutdown triggered during lock acquisition");
        }
        else
        {
            var childDone = Task.Run(() => RunChildAsync(childArgs, ctx));
            var shutdownTask = Task.Delay(Timeout.Infinite, shutdown);
            var first = await Task.WhenAny(shutdownTask, lost, childDone);
            if (first == childDone)
            {
                if (!await childDone) childCode = 2;
                if (_verbose) ctx.Out("Child terminated, releasing lock");
            }
            else
            {
                if (_verbose) ctx.Out(first == lost ? "Lock lost, killing child" : "Shutdown triggered, killing child");
                lock (_childLock) _noMoreChildren = true;
                if (await KillChildAsync(childDone, ctx) is { } killError) ctx.Err(killError);
            }
        }

        try
        {
            await holder.ReleaseAsync();
        }
        catch (LockException e)
        {
            ctx.Err($"Lock release failed: {e.Message}");
            return 1;
        }
        try
        {
            await holder.CleanupAsync();
            if (_verbose) ctx.Out("Cleanup succeeded");
        }
        catch (LockInUseException)
        {
            if (_verbose) ctx.Out("Cleanup aborted, lock in use");
        }
        catch (LockException e)
        {
            ctx.Err($"Lock cleanup failed: {e.Message}");
            return 1;
        }
        return _childExitCode ? childCode : 0;
    }

    private void OnSignal(PosixSignalContext c, int signal, CancellationTokenSource shutdown, CliContext ctx)
    {
        c.Cancel = true;
        // agent.ForwardSignals: the child sees the same signal.
        Process? child;
        lock (_childLock) child = _child;
        if (child is not null && LockSignals.Send(child.Id, signal) is { } err)
            ctx.Err($"Warning, could not forward signal: failed to send signal \"{(signal == LockSignals.SIGINT ? "interrupt" : "terminated")}\": {err}");
        try { shutdown.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>startChild: runs the child with CONSUL_LOCK_HELD=true; true when it exited 0.</summary>
    private async Task<bool> RunChildAsync(List<string> args, CliContext ctx)
    {
        if (_verbose) ctx.Out("Starting handler");
        var psi = LockShell.StartInfo(args, _shell, ctx.Env);
        psi.Environment["CONSUL_LOCK_HELD"] = "true";
        if (_passStdin)
        {
            if (_verbose) ctx.Out("Stdin passed to handler process");
        }
        else
        {
            psi.RedirectStandardInput = true;
        }
        Process process;
        lock (_childLock)
        {
            if (_noMoreChildren) return false;
            try
            {
                process = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                ctx.Err($"Error starting handler: {LockShell.StartError(psi)}");
                return false;
            }
            _child = process;
        }
        if (!_passStdin) process.StandardInput.Close();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            ctx.Err($"Error running handler: {LockShell.ExitText(process.ExitCode)}");
            return false;
        }
        return true;
    }

    /// <summary>killChild: SIGTERM, up to 5s grace, then SIGKILL. Returns an error text or null.</summary>
    private async Task<string?> KillChildAsync(Task<bool> childDone, CliContext ctx)
    {
        Process? child;
        lock (_childLock) child = _child;
        if (child is null)
        {
            if (_verbose) ctx.Out("No child process to kill");
            return null;
        }
        if (_verbose) ctx.Out($"Terminating child pid {child.Id}");
        if (!child.HasExited && LockSignals.Send(child.Id, LockSignals.SIGTERM) is { } termErr)
            return $"Failed to terminate {child.Id}: {termErr}";
        if (await Task.WhenAny(childDone, Task.Delay(KillGracePeriod)) == childDone)
        {
            if (_verbose) ctx.Out("Child terminated");
            return null;
        }
        if (_verbose) ctx.Out($"Child did not exit after grace period of {GoDuration.Format(KillGracePeriod)}");
        if (_verbose) ctx.Out($"Killing child pid {child.Id}");
        if (LockSignals.Send(child.Id, LockSignals.SIGKILL) is { } killErr)
            return $"Failed to kill {child.Id}: {killErr}";
        return null;
    }
}
