using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Local;

/// <summary>
/// The agent's own registrations on disk, laid out as Consul does: services registered through
/// the API in &lt;data-dir&gt;/services/&lt;sha256(id)&gt;, checks in checks/&lt;sha256(id)&gt;, and the last
/// status of TTL checks in checks/state/&lt;sha256(id)&gt;. Files are written atomically with mode
/// 0600. Failures are logged, never thrown: the agent keeps running on its in-memory state.
/// Tokens are written to the files (as Consul does) but never logged.
/// </summary>
public sealed class LocalPersistence
{
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    // HTTP requests may write concurrently; one writer at a time keeps temp files apart.
    private readonly object _gate = new();

    public LocalPersistence(string dataDir, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDir);
        ServicesDir = Path.Combine(dataDir, "services");
        ChecksDir = Path.Combine(dataDir, "checks");
        CheckStateDir = Path.Combine(ChecksDir, "state");
        _time = time;
        _log = logger;
    }

    /// <summary>Persistence for an agent with these settings; null (memory only) without a data dir or in -dev mode.</summary>
    public static LocalPersistence? ForAgent(string dataDir, bool dev, TimeProvider time, ILogger logger) =>
        dev || string.IsNullOrEmpty(dataDir) ? null : new LocalPersistence(dataDir, time, logger);

    public string ServicesDir { get; }
    public string ChecksDir { get; }
    public string CheckStateDir { get; }
    internal ILogger Log => _log;

    /// <summary>File name for a service or check ID: lowercase hex SHA-256 of the ID (Consul's StringHashSHA256).</summary>
    public static string FileNameFor(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    public string ServicePath(string id) => Path.Combine(ServicesDir, FileNameFor(id));
    public string CheckPath(string id) => Path.Combine(ChecksDir, FileNameFor(id));
    public string CheckStatePath(string id) => Path.Combine(CheckStateDir, FileNameFor(id));

    public void SaveService(NodeService service, string token, string source = PersistedSource.Remote)
    {
        var record = new PersistedService { Token = token, Service = service with { CreateIndex = 0, ModifyIndex = 0 }, Source = source };
        Write(ServicePath(service.ID), JsonSerializer.SerializeToUtf8Bytes(record, PersistenceJsonContext.Default.PersistedService),
            "service", service.ID);
    }

    public void SaveCheck(HealthCheck check, CheckDefinition? definition, string token, string source = PersistedSource.Remote)
    {
        var record = new PersistedCheck { Check = check with { CreateIndex = 0, ModifyIndex = 0 }, ChkType = definition, Token = token, Source = source };
        Write(CheckPath(check.CheckID), JsonSerializer.SerializeToUtf8Bytes(record, PersistenceJsonContext.Default.PersistedCheck),
            "check", check.CheckID);
    }

    /// <summary>Records a TTL check's status; it is restored on start until now + ttl.</summary>
    public void SaveCheckState(string checkId, string status, string output, TimeSpan ttl)
    {
        var record = new PersistedCheckState
        {
            CheckID = checkId, Status = status, Output = output,
            Expires = (_time.GetUtcNow() + ttl).ToUnixTimeSeconds(),
        };
        Write(CheckStatePath(checkId), JsonSerializer.SerializeToUtf8Bytes(record, PersistenceJsonContext.Default.PersistedCheckState),
            "check state", checkId);
    }

    public void DeleteService(string id) => Delete(ServicePath(id));

    /// <summary>Removes a check's definition and its saved TTL state (deregistration).</summary>
    public void DeleteCheck(string id)
    {
        Delete(CheckPath(id));
        Delete(CheckStatePath(id));
    }

    /// <summary>Removes only the definition: a config file now defines this ID, its TTL state still applies.</summary>
    public void DeleteCheckDefinition(string id) => Delete(CheckPath(id));

    /// <summary>
    /// The saved status of a TTL check if still fresh. Stale or unreadable state is removed
    /// (Consul's loadCheckState purges both).
    /// </summary>
    public PersistedCheckState? LoadCheckState(string checkId)
    {
        var path = CheckStatePath(checkId);
        byte[] bytes;
        try
        {
            if (!File.Exists(path)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("failed reading check state: check={Check} file={File} error={Error}", checkId, path, e.Message);
            return null;
        }
        PersistedCheckState? state;
        try
        {
            state = JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.PersistedCheckState);
        }
        catch (JsonException e)
        {
            _log.LogError("failed decoding check state: check={Check} error={Error}", checkId, Describe(e));
            Delete(path);
            return null;
        }
        if (state is null || state.CheckID != checkId || !HealthStatus.IsValid(state.Status))
        {
            _log.LogError("failed decoding check state: check={Check} error={Error}", checkId, "unexpected content");
            Delete(path);
            return null;
        }
        if (_time.GetUtcNow().ToUnixTimeSeconds() >= state.Expires)
        {
            _log.LogDebug("check state expired, not restoring: check={Check}", checkId);
            Delete(path);
            return null;
        }
        return state;
    }

    /// <summary>Every readable service file with its path; unreadable ones are logged and skipped.</summary>
    public IReadOnlyList<(string File, PersistedService Record)> LoadServices() =>
        ReadAll(ServicesDir, "service", bytes => JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.PersistedService),
            r => r.Service is { ID.Length: > 0, Service.Length: > 0 });

    /// <summary>Every readable check file with its path; unreadable ones are logged and skipped.</summary>
    public IReadOnlyList<(string File, PersistedCheck Record)> LoadChecks() =>
        ReadAll(ChecksDir, "check", bytes => JsonSerializer.Deserialize(bytes, PersistenceJsonContext.Default.PersistedCheck),
            r => r.Check is { CheckID.Length: > 0 });

    /// <summary>Removes a file found by LoadServices/LoadChecks that is not restored.</summary>
    public void Purge(string file) => Delete(file);

    private List<(string, T)> ReadAll<T>(string dir, string what, Func<byte[], T?> decode, Func<T, bool> complete) where T : class
    {
        var found = new List<(string, T)>();
        string[] files;
        try
        {
            if (!Directory.Exists(dir)) return found;
            files = Directory.GetFiles(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("Failed reading {What}s dir: dir={Dir} error={Error}", what, dir, e.Message);
            return found;
        }
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            // A temp file is a write cut short by a crash; the previous version (if any) is intact.
            if (file.EndsWith("tmp", StringComparison.Ordinal))
            {
                _log.LogWarning("Ignoring temporary {What} file: file={File}", what, Path.GetFileName(file));
                continue;
            }
            try
            {
                var record = decode(File.ReadAllBytes(file));
                if (record is null || !complete(record)) throw new JsonException("missing fields");
                found.Add((file, record));
            }
            catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
            {
                _log.LogError("Failed decoding {What} file: file={File} error={Error}", what, file, Describe(e));
            }
        }
        return found;
    }

    // A JSON error message may quote the bytes it choked on, and the file holds an ACL token.
    private static string Describe(Exception e) => e is JsonException j
        ? $"invalid JSON (path {j.Path ?? "$"}, line {j.LineNumber ?? 0}, byte {j.BytePositionInLine ?? 0})"
        : e.Message;

    private void Write(string path, byte[] content, string what, string id)
    {
        try
        {
            lock (_gate) AtomicFile.Write(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("failed persisting {What}: id={Id} error={Error}", what, id, e.Message);
        }
    }

    private void Delete(string path)
    {
        try
        {
            lock (_gate) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("failed removing persisted file: file={File} error={Error}", path, e.Message);
        }
    }
}
