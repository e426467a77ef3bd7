using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul services register` from JSON files or flags (command/services/register).</summary>
internal sealed class ServicesRegisterCommand : ApiCommand
{
    private string _kind = "", _id = "", _name = "", _address = "", _socket = "";
    private int _port;
    private readonly List<string> _tags = [];
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _taggedAddresses = new(StringComparer.Ordinal);

    public ServicesRegisterCommand()
    {
        Flags.String("id", "ID of the service to register for arg-based registration. If this " +
                           "isn't set, it will default to the -name value.", v => _id = v);
        Flags.String("name", "Name of the service to register for arg-based registration.", v => _name = v);
        Flags.String("address", "Address of the service to register for arg-based registration.", v => _address = v);
        Flags.Int("port", "Port of the service to register for arg-based registration.", v => _port = v);
        Flags.String("socket", "Path to the Unix domain socket to register for arg-based registration (conflicts with address and port).",
            v => _socket = v);
        Flags.Value("meta", "Metadata to set on the service, formatted as key=value. This flag " +
                            "may be specified multiple times to set multiple meta fields.", FlagMap.Into(_meta));
        Flags.Value("tag", "Tag to add to the service. This flag can be specified multiple " +
                           "times to set multiple tags.", v => { _tags.Add(v); return null; });
        Flags.Value("tagged-address", "Tagged address to set on the service, formatted as key=value. This flag " +
                                      "may be specified multiple times to set multiple addresses.", FlagMap.Into(_taggedAddresses));
        Flags.String("kind", "The services 'kind'", v => _kind = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override string Synopsis => "Register services with the local agent";

    protected override string HelpText => """

        Usage: consul services register [options] [FILE...]

          Register one or more services using the local agent API. Services can
          be registered from standard Consul configuration files (HCL or JSON) or
          using flags. The service is registered and the command returns. The caller
          must remember to call "consul services deregister" or a similar API to
          deregister the service when complete.

              $ consul services register web.json

          Additional flags and more advanced use cases are detailed below.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;

        JsonObject? taggedAddrs = null;
        if (_taggedAddresses.Count > 0)
        {
            taggedAddrs = new JsonObject();
            foreach (var (k, v) in _taggedAddresses)
            {
                if (!TryParseServiceAddr(v, out var addr, out var port))
                {
                    ctx.Err($"Invalid Tagged Address: {v}");
                    return 1;
                }
                taggedAddrs[k] = new JsonObject { ["Address"] = addr, ["Port"] = port };
            }
        }

        if (rest.Count == 0 && _name.Length == 0)
        {
            ctx.Err("Service registration requires at least one argument or flags.");
            return 1;
        }
        if (rest.Count > 0 && _name.Length > 0)
        {
            ctx.Err("Service registration requires arguments or -id, not both.");
            return 1;
        }

        List<JsonObject> services;
        if (rest.Count > 0)
        {
            try
            {
                services = ServiceFiles.Load(rest);
            }
            catch (CliUsageException e)
            {
                ctx.Err($"Error: {e.Message}");
                return 1;
            }
        }
        else
        {
            // api.AgentServiceRegistration field order, omitting empty values.
            var svc = new JsonObject();
            if (_kind.Length > 0) svc["Kind"] = _kind;
            if (_id.Length > 0) svc["ID"] = _id;
            svc["Name"] = _name;
            if (_tags.Count > 0) svc["Tags"] = new JsonArray(_tags.Select(t => (JsonNode?)t).ToArray());
            if (_port != 0) svc["Port"] = _port;
            if (_address.Length > 0) svc["Address"] = _address;
            if (_socket.Length > 0) svc["SocketPath"] = _socket;
            if (taggedAddrs is not null) svc["TaggedAddresses"] = taggedAddrs;
            if (_meta.Count > 0)
            {
                var meta = new JsonObject();
                foreach (var (k, v) in _meta.OrderBy(kv => kv.Key, StringComparer.Ordinal)) meta[k] = v;
                svc["Meta"] = meta;
            }
            services = [svc];
        }

        if (CreateClient(ctx) is not { } client) return 1;
        foreach (var svc in services)
        {
            var name = svc["Name"]?.GetValue<string>() ?? "";
            try
            {
                await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/service/register", null,
                    Encoding.UTF8.GetBytes(svc.ToJsonString() + "\n"), "application/json");
            }
            catch (CliApiException e)
            {
                ctx.Err($"Error registering service {GoFlagSet.GoQuote(name)}: {e.Message}");
                return 1;
            }
            ctx.Out($"Registered service: {name}");
        }
        return 0;
    }

    // api.ParseServiceAddr: "host:port" (port required).
    private static bool TryParseServiceAddr(string v, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = v.LastIndexOf(':');
        if (colon < 0) return false;
        host = v[..colon].Trim('[', ']');
        return int.TryParse(v[(colon + 1)..], out port);
    }
}

/// <summary>`consul services deregister` by file or -id (command/services/deregister).</summary>
internal sealed class ServicesDeregisterCommand : ApiCommand
{
    private string _id = "";

    public ServicesDeregisterCommand()
    {
        Flags.String("id", "ID to delete. This must not be set if arguments are given.", v => _id = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override string Synopsis => "Deregister services with the local agent";

    protected override string HelpText => """

        Usage: consul services deregister [options] [FILE...]

          Deregister one or more services that were previously registered with
          the local agent.

              $ consul services deregister web.json db.json

          The -id flag may be used to deregister a single service by ID:

              $ consul services deregister -id=web

          Services are deregistered from the local agent catalog. This command must
          be run against the same agent where the service was registered.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (rest.Count == 0 && _id.Length == 0)
        {
            ctx.Err("Service deregistration requires at least one argument or -id.");
            return 1;
        }
        if (rest.Count > 0 && _id.Length > 0)
        {
            ctx.Err("Service deregistration requires arguments or -id, not both.");
            return 1;
        }

        var services = new List<(string Id, string Name)>();
        if (rest.Count > 0)
        {
            try
            {
                services.AddRange(ServiceFiles.Load(rest).Select(s =>
                    (s["ID"]?.GetValue<string>() ?? "", s["Name"]?.GetValue<string>() ?? "")));
            }
            catch (CliUsageException e)
            {
                ctx.Err($"Error: {e.Message}");
                return 1;
            }
        }
        else
        {
            services.Add((_id, ""));
        }

        if (CreateClient(ctx) is not { } client) return 1;
        foreach (var (sid, name) in services)
        {
            var id = sid.Length > 0 ? sid : name;
            if (id.Length == 0) continue;
            try
            {
                await client.RequireOkAsync(HttpMethod.Put, "/v1/agent/service/deregister/" + id);
            }
            catch (CliApiException e)
            {
                // Consul's message says "registering" here too.
                ctx.Err($"Error registering service {GoFlagSet.GoQuote(name)}: {e.Message}");
                return 1;
            }
            ctx.Out($"Deregistered service: {id}");
        }
        return 0;
    }
}

/// <summary>
/// Reads service definitions from Consul JSON config files ("service" object or
/// "services" array) and converts config-style keys to the API's PascalCase.
/// </summary>
internal static class ServiceFiles
{
    // Keys whose PascalCase form is not a plain capitalisation.
    private static readonly Dictionary<string, string> SpecialKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = "ID", ["ttl"] = "TTL", ["http"] = "HTTP", ["tcp"] = "TCP", ["udp"] = "UDP", ["grpc"] = "GRPC",
        ["grpc_use_tls"] = "GRPCUseTLS", ["tls_skip_verify"] = "TLSSkipVerify", ["tls_server_name"] = "TLSServerName",
        ["docker_container_id"] = "DockerContainerID", ["check_id"] = "CheckID", ["service_id"] = "ServiceID",
        ["h2ping"] = "H2PING", ["h2ping_use_tls"] = "H2PingUseTLS", ["os_service"] = "OSService",
    };

    // Objects whose keys are user data and must not be renamed.
    private static readonly HashSet<string> UserMaps = new(StringComparer.Ordinal) { "Meta", "Header", "TaggedAddresses" };

    public static List<JsonObject> Load(IEnumerable<string> files)
    {
        var result = new List<JsonObject>();
        foreach (var file in files)
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliUsageException($"Error loading {file}: {GoErrors.OpenError(file, e)}");
            }
            catch (JsonException e)
            {
                throw new CliUsageException($"Error parsing {file}: {e.Message}");
            }
            if (root is not JsonObject obj) throw new CliUsageException($"Error parsing {file}: not a JSON object");
            foreach (var (key, value) in obj)
            {
                if (key == "service" && value is JsonObject one) result.Add(Convert(one));
                else if (key == "services" && value is JsonArray many)
                    result.AddRange(many.OfType<JsonObject>().Select(Convert));
            }
        }
        return result;
    }

    private static JsonObject Convert(JsonObject config)
    {
        var result = new JsonObject();
        foreach (var (key, value) in config)
        {
            var apiKey = ApiKey(key);
            result[apiKey] = value switch
            {
                JsonObject o when UserMaps.Contains(apiKey) => o.DeepClone(),
                JsonObject o => Convert(o),
                JsonArray a => new JsonArray(a.Select(e => e is JsonObject eo ? Convert(eo) : e?.DeepClone()).ToArray()),
                _ => value?.DeepClone(),
            };
        }
        return result;
    }

    private static string ApiKey(string key)
    {
        if (SpecialKeys.TryGetValue(key, out var special)) return special;
        if (!key.Contains('_')) return char.ToUpperInvariant(key[0]) + key[1..];
        return string.Concat(key.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => SpecialKeys.TryGetValue(p, out var s) ? s : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
