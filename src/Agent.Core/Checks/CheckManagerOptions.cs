using System.Security.Cryptography.X509Certificates;

namespace Consul.Core.Checks;

/// <summary>Agent settings the check runners need.</summary>
public sealed class CheckManagerOptions
{
    /// <summary>enable_script_checks: script checks from config files and from the HTTP API.</summary>
    public bool EnableScriptChecks { get; set; }

    /// <summary>enable_local_script_checks: script checks from config files only.</summary>
    public bool EnableLocalScriptChecks { get; set; }

    /// <summary>check_output_max_size (Consul default 4096). A check's own OutputMaxSize may only lower it.</summary>
    public int OutputMaxSize { get; set; } = CheckDefaults.OutputMaxSize;

    /// <summary>node_name of this agent (used in logs only; alias checks follow Consul's messages).</summary>
    public string NodeName { get; set; } = "";

    /// <summary>Docker Engine endpoint; Consul reads DOCKER_HOST and defaults to the local socket.</summary>
    public string DockerHost { get; set; } =
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } h ? h : CheckDefaults.DockerHost;

    /// <summary>CA certificates trusted by HTTPS and gRPC+TLS checks (ca_file with enable_agent_tls_for_checks). Null: system store.</summary>
    public X509Certificate2Collection? CheckTlsCaCertificates { get; set; }

    /// <summary>Client certificate presented by HTTPS and gRPC+TLS checks (enable_agent_tls_for_checks).</summary>
    public X509Certificate2? CheckTlsClientCertificate { get; set; }

    /// <summary>Source of the random first-run stagger. Inject a seeded one in tests.</summary>
    public Random Random { get; set; } = Random.Shared;
}

/// <summary>Consul's constants from agent/checks.</summary>
public static class CheckDefaults
{
    /// <summary>checks.DefaultBufSize.</summary>
    public const int OutputMaxSize = 4 * 1024;
    /// <summary>checks.MinInterval: shorter intervals are raised to this, with a warning.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    /// <summary>Timeout of HTTP, TCP, UDP and gRPC checks when none is given.</summary>
    public static readonly TimeSpan NetworkTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Timeout of script checks when none is given.</summary>
    public static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(30);
    /// <summary>checks.UserAgent.</summary>
    public const string UserAgent = "Consul Health Check";
    public const string Accept = "text/plain, text/*, */*";
    public const string DockerHost = "unix:///var/run/docker.sock";
}
