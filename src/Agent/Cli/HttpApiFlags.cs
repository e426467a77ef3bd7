namespace Consul.Agent.Cli;

/// <summary>
/// Consul's common HTTP API flags (command/flags/http.go): client flags on every API
/// command, server flags (-datacenter, -stale) on the ones that read catalog state.
/// Flag values win over the CONSUL_* environment variables.
/// </summary>
internal sealed class HttpApiFlags
{
    public string? Address { get; private set; }
    public string? Token { get; private set; }
    public string? TokenFile { get; private set; }
    public string? CaFile { get; private set; }
    public string? CaPath { get; private set; }
    public string? CertFile { get; private set; }
    public string? KeyFile { get; private set; }
    public string? TlsServerName { get; private set; }
    public string? Datacenter { get; private set; }
    public bool Stale { get; private set; }
    public string? Namespace { get; private set; }
    public string? Partition { get; private set; }

    public void AddClientFlags(GoFlagSet fs)
    {
        fs.Value("http-addr",
            "The `address` and port of the Consul HTTP agent. The value can be an IP " +
            "address or DNS address, but it must also include the port. This can " +
            "also be specified via the CONSUL_HTTP_ADDR environment variable. The " +
            "default value is http://127.0.0.1:8500. The scheme can also be set to " +
            "HTTPS by setting the environment variable CONSUL_HTTP_SSL=true.",
            v => { Address = v; return null; }, isHttp: true);
        fs.Value("token",
            "ACL token to use in the request. This can also be specified via the " +
            "CONSUL_HTTP_TOKEN environment variable. If unspecified, the query will " +
            "default to the token of the Consul agent at the HTTP address.",
            v => { Token = v; return null; }, isHttp: true);
        fs.Value("token-file",
            "File containing the ACL token to use in the request instead of one specified " +
            "via the -token argument or CONSUL_HTTP_TOKEN environment variable. " +
            "This can also be specified via the CONSUL_HTTP_TOKEN_FILE environment variable.",
            v => { TokenFile = v; return null; }, isHttp: true);
        fs.Value("ca-file",
            "Path to a CA file to use for TLS when communicating with Consul. This " +
            "can also be specified via the CONSUL_CACERT environment variable.",
            v => { CaFile = v; return null; }, isHttp: true);
        fs.Value("ca-path",
            "Path to a directory of CA certificates to use for TLS when communicating " +
            "with Consul. This can also be specified via the CONSUL_CAPATH environment variable.",
            v => { CaPath = v; return null; }, isHttp: true);
        fs.Value("client-cert",
            "Path to a client cert file to use for TLS when 'verify_incoming' is enabled. This " +
            "can also be specified via the CONSUL_CLIENT_CERT environment variable.",
            v => { CertFile = v; return null; }, isHttp: true);
        fs.Value("client-key",
            "Path to a client key file to use for TLS when 'verify_incoming' is enabled. This " +
            "can also be specified via the CONSUL_CLIENT_KEY environment variable.",
            v => { KeyFile = v; return null; }, isHttp: true);
        fs.Value("tls-server-name",
            "The server name to use as the SNI host when connecting via TLS. This " +
            "can also be specified via the CONSUL_TLS_SERVER_NAME environment variable.",
            v => { TlsServerName = v; return null; }, isHttp: true);
    }

    public void AddServerFlags(GoFlagSet fs)
    {
        fs.Value("datacenter",
            "Name of the datacenter to query. If unspecified, this will default to " +
            "the datacenter of the queried agent.",
            v => { Datacenter = v; return null; }, isHttp: true);
        fs.Bool("stale",
            "Permit any Consul server (non-leader) to respond to this request. This " +
            "allows for lower latency and higher throughput, but can result in " +
            "stale data. This option has no effect on non-read operations. The " +
            "default value is false.",
            v => Stale = v, isHttp: true);
    }

    /// <summary>-partition (Consul's PartitionFlag); listed under Command Options.</summary>
    public void AddPartitionFlag(GoFlagSet fs) =>
        fs.Value("partition",
            "Specifies the admin partition to query. If not provided, the admin partition will be inferred " +
            "from the request's ACL token, or will default to the `default` admin partition. " +
            "Admin Partitions are a Consul Enterprise feature.",
            v => { Partition = v; return null; });

    /// <summary>-namespace and -partition (Consul's MultiTenancyFlags).</summary>
    public void AddMultiTenancyFlags(GoFlagSet fs)
    {
        fs.Value("namespace",
            "Specifies the namespace to query. If not provided, the namespace will be inferred " +
            "from the request's ACL token, or will default to the `default` namespace. " +
            "Namespaces are a Consul Enterprise feature.",
            v => { Namespace = v; return null; });
        AddPartitionFlag(fs);
    }

    /// <summary>
    /// Builds the client the way api.NewClient does: environment first, flags over it,
    /// then the token file (if any) replaces the token. Errors carry Go's text.
    /// </summary>
    public ConsulApiClient CreateClient(CliContext ctx)
    {
        var env = ctx.Env;
        string? Env(string key) => env.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        var address = Address ?? Env("CONSUL_HTTP_ADDR") ?? "127.0.0.1:8500";
        var scheme = "http";
        if (Env("CONSUL_HTTP_SSL") is { } ssl && GoFlagSet.TryParseGoBool(ssl, out var useSsl) && useSsl) scheme = "https";
        var insecure = Env("CONSUL_HTTP_SSL_VERIFY") is { } verify && GoFlagSet.TryParseGoBool(verify, out var doVerify) && !doVerify;

        string? unixSocket = null;
        var sep = address.IndexOf("://", StringComparison.Ordinal);
        if (sep >= 0)
        {
            var proto = address[..sep];
            var rest = address[(sep + 3)..];
            switch (proto)
            {
                case "http": break;
                case "https": scheme = "https"; break;
                case "unix": unixSocket = rest; break;
                default: throw new CliApiException($"Unknown protocol scheme: {proto}");
            }
            address = rest;
        }

        var token = Token ?? Env("CONSUL_HTTP_TOKEN");
        var tokenFile = TokenFile ?? Env("CONSUL_HTTP_TOKEN_FILE");
        if (tokenFile is not null)
        {
            string data;
            try { data = File.ReadAllText(tokenFile); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliApiException($"Error loading token file: {GoErrors.OpenError(tokenFile, e)}");
            }
            if (data.Trim() is { Length: > 0 } fileToken) token = fileToken;
        }

        var tls = new TlsSettings(
            CaFile ?? Env("CONSUL_CACERT"),
            CaPath ?? Env("CONSUL_CAPATH"),
            CertFile ?? Env("CONSUL_CLIENT_CERT"),
            KeyFile ?? Env("CONSUL_CLIENT_KEY"),
            TlsServerName ?? Env("CONSUL_TLS_SERVER_NAME"),
            insecure,
            unixSocket);

        ConsulApiClient.ValidateTls(tls);
        var tenancy = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(Namespace ?? Env("CONSUL_NAMESPACE"))) tenancy.Add(new("ns", (Namespace ?? Env("CONSUL_NAMESPACE"))!));
        if (!string.IsNullOrEmpty(Partition ?? Env("CONSUL_PARTITION"))) tenancy.Add(new("partition", (Partition ?? Env("CONSUL_PARTITION"))!));
        return new ConsulApiClient(scheme, address, token, Datacenter, tenancy, tls, ctx.Cancellation);
    }
}
