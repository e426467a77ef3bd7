using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul version`: the pretty or JSON version block (command/version).</summary>
internal sealed class VersionCommand : CliCommand
{
    /// <summary>RPC protocol versions this agent speaks (consul.DefaultRPCProtocol, Min, Max).</summary>
    private const int RpcDefault = 2, RpcMin = 2, RpcMax = 3;

    private readonly GoFlagSet _flags = new();
    private string _format = "pretty";

    public VersionCommand() =>
        _flags.String("format", "Output format {pretty|json}", v => _format = v, "pretty");

    public override string Synopsis => "Prints the Consul version";
    public override string Help => ConsulUsage.Format(ConsulUsage.Format("\nUsage: consul version [options]\n", _flags), null);

    public override Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            _flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException)
        {
            return Task.FromResult(1);
        }
        var info = VersionInfo.Current();
        switch (_format)
        {
            case "pretty":
                ctx.Out(Pretty(info));
                return Task.FromResult(0);
            case "json":
                ctx.Out(Json(info));
                return Task.FromResult(0);
            default:
                ctx.Err($"Unknown format: {_format}");
                return Task.FromResult(1);
        }
    }

    internal static string Pretty(VersionInfo info)
    {
        var sb = new StringBuilder($"Consul v{info.HumanVersion}\n");
        if (info.Revision.Length > 0) sb.Append($"Revision {info.Revision}\n");
        sb.Append($"Build Date {info.BuildDate:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        var supplement = RpcDefault < RpcMax
            ? $" (agent will automatically use protocol >{RpcDefault} when speaking to compatible agents)"
            : "";
        sb.Append($"Protocol {RpcDefault} spoken by default, understands {RpcMin} to {RpcMax}{supplement}\n");
        return sb.ToString();
    }

    // json.MarshalIndent(info, "", "   ") of Consul's VersionInfo.
    private static string Json(VersionInfo info)
    {
        var node = new JsonObject
        {
            ["Version"] = info.Version,
            ["Revision"] = info.Revision,
            ["Prerelease"] = info.Prerelease,
            ["BuildDate"] = info.BuildDate.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["RPC"] = new JsonObject { ["Default"] = RpcDefault, ["Min"] = RpcMin, ["Max"] = RpcMax },
        };
        return GoJson.Indent(node, "   ");
    }
}

/// <summary>The version facts `consul version` prints, read from the assembly.</summary>
internal sealed record VersionInfo(string Version, string Prerelease, string Revision, DateTime BuildDate)
{
    public string HumanVersion => Prerelease.Length > 0 ? $"{Version}-{Prerelease}" : Version;

    public static VersionInfo Current()
    {
        var asm = typeof(VersionInfo).Assembly;
        var informational = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var revision = "";
        var plus = informational.IndexOf('+');
        if (plus >= 0)
        {
            revision = informational[(plus + 1)..];
            informational = informational[..plus];
        }
        var dash = informational.IndexOf('-');
        var version = dash >= 0 ? informational[..dash] : informational;
        var prerelease = dash >= 0 ? informational[(dash + 1)..] : "";
        var buildDate = asm.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key == "BuildDate" && a.Value is not null)
            .Select(a => DateTime.TryParse(a.Value, null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var d) ? d : (DateTime?)null)
            .FirstOrDefault(d => d is not null);
        // Without a stamped build date, the assembly file's write time is the build time.
        buildDate ??= string.IsNullOrEmpty(asm.Location) ? DateTime.UnixEpoch : File.GetLastWriteTimeUtc(asm.Location);
        return new VersionInfo(version, prerelease, revision, buildDate.Value);
    }
}

/// <summary>Go's encoding/json output over a JsonNode: MarshalIndent's layout, or Marshal's compact form.</summary>
internal static class GoJson
{
    public static string Indent(JsonNode node, string indent) => Write(node, new JsonWriterOptions
    {
        Indented = true,
        IndentCharacter = indent[0],
        IndentSize = indent.Length,
        NewLine = "\n",
    });

    public static string Compact(JsonNode node) => Write(node, new JsonWriterOptions());

    private static string Write(JsonNode node, JsonWriterOptions options)
    {
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, options)) node.WriteTo(w);
        // Go's encoder HTML-escapes <, > and & inside strings; they cannot occur outside them.
        return Encoding.UTF8.GetString(ms.ToArray())
            .Replace("<", "\\u003c").Replace(">", "\\u003e").Replace("&", "\\u0026")
            .Replace("\u2028", "\\u2028").Replace("\u2029", "\\u2029");
    }
}
