namespace Consul.Agent.Cli;

/// <summary>
/// What `consul lock` needs of a lock or a semaphore (Consul's LockUnlock): acquire, release
/// and clean up. Failures throw <see cref="LockException"/> with api/lock.go's texts.
/// </summary>
internal interface ILockHolder
{
    /// <summary>
    /// Acquires; returns a task that completes when the lock is lost, or null when
    /// <paramref name="stop"/> fired or a -timeout ran out first.
    /// </summary>
    Task<Task?> AcquireAsync(CancellationToken stop);

    Task ReleaseAsync();

    /// <summary>Removes the lock key if no one holds it; <see cref="LockInUseException"/> when someone does.</summary>
    Task CleanupAsync();
}

/// <summary>An api/lock.go or api/semaphore.go error.</summary>
internal class LockException(string message) : Exception(message);

/// <summary>ErrLockInUse / ErrSemaphoreInUse: cleanup skipped because the lock is held by others.</summary>
internal sealed class LockInUseException(string message) : LockException(message);

/// <summary>Options shared by locks and semaphores (LockOptions / SemaphoreOptions as the CLI sets them).</summary>
internal sealed record LockOptions(
    string SessionName,
    bool TryOnce,
    TimeSpan WaitTime,
    int MonitorRetries,
    TimeSpan MonitorRetryTime)
{
    public const string SessionTtl = "15s";
    /// <summary>DefaultLockWaitTime / DefaultSemaphoreWaitTime.</summary>
    public static readonly TimeSpan DefaultWaitTime = TimeSpan.FromSeconds(15);
    /// <summary>DefaultLockRetryTime: the pause while a lock-delay blocks acquisition.</summary>
    public static readonly TimeSpan RetryTime = TimeSpan.FromSeconds(5);
}

/// <summary>Helpers for waiting that a stop signal can cut short.</summary>
internal static class LockWait
{
    /// <summary>Waits for <paramref name="task"/>; Done is false if <paramref name="stop"/> fired first.</summary>
    public static async Task<(bool Done, T Value)> OrStop<T>(Task<T> task, CancellationToken stop)
    {
        try
        {
            return (true, await task.WaitAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            ObserveLater(task);
            return (false, default!);
        }
    }

    /// <summary>Delays; false if stopped first.</summary>
    public static async Task<bool> Delay(TimeSpan delay, TimeProvider time, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, time, stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // An abandoned request may still fail later; keep that from surfacing as unobserved.
    private static void ObserveLater(Task task) => task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
}
