namespace Consul.Agent.Hosting;

/// <summary>
/// log_file: every entry (after the level filters set on this provider) goes to a
/// <see cref="RotatingLogFile"/> in the console's format, hclog text or, with log_json, JSON.
/// A failed write is dropped, as hclog ignores its writer's errors.
/// </summary>
[ProviderAlias("File")]
public sealed class FileLoggerProvider(RotatingLogFile file, bool json, TimeProvider time) : ILoggerProvider
{
    /// <summary>
    /// Opens config.LogFile with its rotation settings. As in Consul, a file that cannot be
    /// opened stops the agent: "Failed to setup logging: open &lt;path&gt;: ...".
    /// </summary>
    public static FileLoggerProvider Open(Config.AgentConfig config, TimeProvider time)
    {
        var file = new RotatingLogFile(config.LogFile, config.LogRotateDuration, config.LogRotateBytes, config.LogRotateMaxFiles, time);
        try
        {
            file.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var why = e switch
            {
                DirectoryNotFoundException or FileNotFoundException => "no such file or directory",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            throw new InvalidOperationException($"Failed to setup logging: open {file.ActivePath}: {why}", e);
        }
        return new FileLoggerProvider(file, config.LogJson, time);
    }

    public ILogger CreateLogger(string categoryName) => new LineSinkLogger(categoryName, Write);

    public void Dispose() => file.Dispose();

    private void Write(LogLevel level, string category, string message, Exception? error, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var now = time.GetLocalNow();
        var line = json
            ? HclogJsonFormatter.Format(now, level, category, message, error, fields)
            : HclogFormatter.Format(now, level, category, message, error);
        try
        {
            file.Write(line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException) { }
    }
}
