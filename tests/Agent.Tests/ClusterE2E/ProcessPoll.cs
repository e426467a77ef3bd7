namespace Consul.Tests.ClusterE2E;

/// <summary>Polling real agent processes: every 200 ms until a condition holds, with errors of a process not yet up counted as "not yet".</summary>
internal static class ProcessPoll
{
    /// <param name="logs">The agents' output, appended to the timeout message.</param>
    public static async Task UntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, Func<string> logs)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition()) return;
                last = null;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
            {
                last = e;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"timed out after {timeout} waiting for: {what}{(last is null ? "" : $" (last error: {last.Message})")}\n{logs()}");
    }
}
