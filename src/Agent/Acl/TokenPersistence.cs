using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Consul.Agent.Config;

namespace Consul.Agent.Acl;

/// <summary>
/// acl.enable_token_persistence: tokens set through /v1/agent/token are written to
/// &lt;data_dir&gt;/acl-tokens.json (Consul's format, only the API-set ones) and loaded at start,
/// where they take precedence over the tokens from the configuration (agent/token/persistence.go).
/// </summary>
public sealed class TokenPersistence
{
    public const string FileName = "acl-tokens.json";

    private static readonly ConditionalWeakTable<AgentTokens, TokenPersistence> Attached = new();
    private static readonly JsonSerializerOptions FileJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly object _gate = new();
    private readonly AgentTokens _tokens;
    private readonly HashSet<string> _fromApi = new(StringComparer.Ordinal);

    private TokenPersistence(AgentTokens tokens, string path)
    {
        _tokens = tokens;
        FilePath = path;
    }

    public string FilePath { get; }

    /// <summary>Why the file could not be read at start (Consul warns and carries on with the configured tokens).</summary>
    public string? LoadError { get; private set; }

    /// <summary>
    /// Loads persisted tokens into <paramref name="tokens"/> when persistence is enabled and there is a data dir,
    /// and remembers the pairing for <see cref="Of"/>. Returns the same <paramref name="tokens"/>.
    /// </summary>
    public static AgentTokens Attach(AgentTokens tokens, AgentConfig config)
    {
        if (!config.Acl.EnableTokenPersistence || string.IsNullOrEmpty(config.DataDir)) return tokens;
        var persistence = new TokenPersistence(tokens, Path.Combine(config.DataDir, FileName));
        persistence.Load();
        Attached.AddOrUpdate(tokens, persistence);
        return tokens;
    }

    /// <summary>The persistence attached to these tokens, or null when tokens are not persisted.</summary>
    public static TokenPersistence? Of(AgentTokens tokens) => Attached.TryGetValue(tokens, out var p) ? p : null;

    /// <summary>Sets a token as the API does and rewrites the file with every API-set token.</summary>
    public void SetFromApi(string kind, string token)
    {
        lock (_gate)
        {
            _tokens.Set(kind, token);
            _fromApi.Add(kind);
            Save();
        }
    }

    private void Load()
    {
        PersistedTokens? persisted;
        try
        {
            if (!File.Exists(FilePath)) return;
            persisted = JsonSerializer.Deserialize<PersistedTokens>(File.ReadAllBytes(FilePath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            LoadError = $"failed to read tokens file \"{FilePath}\": {e.Message}";
            return;
        }
        if (persisted is null) return;
        foreach (var (kind, value) in persisted.ByKind())
        {
            if (string.IsNullOrEmpty(value)) continue;
            _tokens.Set(kind, value);
            _fromApi.Add(kind);
        }
    }

    private void Save()
    {
        string? Api(string kind) => _fromApi.Contains(kind) && _tokens.Get(kind) is { Length: > 0 } t ? t : null;
        var file = new PersistedTokens
        {
            Replication = Api(AgentTokens.ReplicationKind),
            AgentRecovery = Api(AgentTokens.AgentRecoveryKind),
            Default = Api(AgentTokens.DefaultKind),
            Agent = Api(AgentTokens.AgentKind),
            ConfigFileRegistration = Api(AgentTokens.ConfigFileRegistrationKind),
            Dns = Api(AgentTokens.DnsKind),
        };
        // Written whole and renamed into place, readable by the agent's user only (Consul: 0600).
        // Created with that mode (never readable by others, not even before a chmod); a leftover temp file is replaced.
        var temp = FilePath + ".tmp";
        File.Delete(temp);
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, create)) stream.Write(JsonSerializer.SerializeToUtf8Bytes(file, FileJson));
        File.Move(temp, FilePath, overwrite: true);
    }

    /// <summary>The file's JSON: Consul's persistedTokens (empty ones omitted), plus the pre-1.11 "agent_master" name on read.</summary>
    private sealed class PersistedTokens
    {
        [JsonPropertyName("replication")] public string? Replication { get; init; }
        [JsonPropertyName("agent_recovery")] public string? AgentRecovery { get; init; }
        [JsonPropertyName("default")] public string? Default { get; init; }
        [JsonPropertyName("agent")] public string? Agent { get; init; }
        [JsonPropertyName("config_file_service_registration")] public string? ConfigFileRegistration { get; init; }
        [JsonPropertyName("dns")] public string? Dns { get; init; }

        [JsonPropertyName("agent_master")] public string? LegacyAgentMaster { get; init; }

        public IEnumerable<(string Kind, string? Value)> ByKind()
        {
            yield return (AgentTokens.DefaultKind, Default);
            yield return (AgentTokens.AgentKind, Agent);
            yield return (AgentTokens.AgentRecoveryKind, string.IsNullOrEmpty(AgentRecovery) ? LegacyAgentMaster : AgentRecovery);
            yield return (AgentTokens.ReplicationKind, Replication);
            yield return (AgentTokens.ConfigFileRegistrationKind, ConfigFileRegistration);
            yield return (AgentTokens.DnsKind, Dns);
        }
    }
}
