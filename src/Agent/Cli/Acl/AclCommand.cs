using System.Text;

namespace Consul.Agent.Cli.Acl;

/// <summary>
/// Base of the `consul acl ...` commands. Consul renders a command's help before it registers
/// its deprecated flags (-id, -merge-*), so those parse but stay out of the help: subclasses
/// call <see cref="SealHelp"/> after their documented flags and add deprecated ones after it.
/// </summary>
internal abstract class AclCommand : ApiCommand
{
    private string? _help;

    protected string FormatText { get; private set; } = "pretty";

    public override string Help => _help ?? base.Help;

    protected void SealHelp() => _help = ConsulUsage.Format(HelpText, Flags);

    /// <summary>-meta: show hashes and indices. Consul words it per command ("role", "token", "Raft").</summary>
    protected bool ShowMeta { get; private set; }

    protected void AddMetaFlag(string noun, string raft = "raft") =>
        Flags.Bool("meta", $"Indicates that {noun} metadata such " +
                           $"as the content hash and {raft} indices should be shown for each entry", v => ShowMeta = v);

    protected void AddFormatFlag() =>
        Flags.String("format", AclOutputFormats.Usage, v => FormatText = v, defValue: "pretty");

    /// <summary>flags.AppendSliceValue: each use appends one value.</summary>
    protected void AddSliceFlag(string name, string usage, List<string> target) =>
        Flags.Value(name, usage, v => { target.Add(v); return null; });

    /// <summary>BasicUi.Warn writes to stderr.</summary>
    protected static void Warn(CliContext ctx, string message) => ctx.Err(message);

    /// <summary>NewFormatter's check; prints "Unknown format: X" when the value is not pretty or json.</summary>
    protected bool TryFormat(CliContext ctx, out AclOutputFormat format)
    {
        if (AclOutputFormats.TryParse(FormatText, out format, out var error)) return true;
        ctx.Err(error);
        return false;
    }

    /// <summary>`if out != "" { c.UI.Info(out) }`.</summary>
    protected static void Print(CliContext ctx, string output)
    {
        if (output.Length > 0) ctx.Out(output);
    }

    /// <summary>The policy and role commands that take -id or -name: false after printing <paramref name="missing"/> when neither is given.</summary>
    protected static bool IdOrNameGiven(CliContext ctx, string id, string name, string missing)
    {
        if (id.Length > 0 || name.Length > 0) return true;
        ctx.Err(missing);
        return false;
    }

    /// <summary>The create commands' required -name: false after printing Consul's message (typo and all) and the help.</summary>
    protected bool NameGiven(CliContext ctx, string name)
    {
        if (name.Length > 0) return true;
        ctx.Err("Missing require '-name' flag");
        ctx.Err(Help);
        return false;
    }

    /// <summary>
    /// One lookup, data-source load or API call of a command, as Consul's `if err != nil { c.UI.Error(fmt.Sprintf("&lt;failure&gt;: %v", err)) }`:
    /// on failure prints "failure: error" and answers Ok = false (then Value is meaningless).
    /// </summary>
    protected static async Task<(bool Ok, T Value)> TryAsync<T>(CliContext ctx, string failure, Func<Task<T>> step)
    {
        try
        {
            return (true, await step());
        }
        catch (Exception e) when (e is AclLookupException or CliApiException or CliUsageException)
        {
            ctx.Err($"{failure}: {e.Message}");
            return (false, default!);
        }
    }

    /// <summary><see cref="TryAsync{T}"/> for a call without a result.</summary>
    protected static async Task<bool> TryAsync(CliContext ctx, string failure, Func<Task> step) =>
        (await TryAsync(ctx, failure, async () => { await step(); return true; })).Ok;

    /// <summary>
    /// Policy or role links appended to <paramref name="links"/>: -x-name values as names (the
    /// agent resolves them), -x-id prefixes resolved to IDs here, as Consul does. With
    /// <paramref name="skipLinked"/> (the merge modes) what is already linked is not added again.
    /// Ok = false after printing "Error resolving policy ID : error"; the ID is empty in that
    /// message in Consul too (the loop variable is shadowed by the failed lookup's empty result).
    /// </summary>
    protected static async Task<(bool Ok, List<AclLink>? Links)> AddLinksAsync(CliContext ctx, AclApi api, AclNamedKind kind,
        List<AclLink>? links, IEnumerable<string> names, IEnumerable<string> idPrefixes, bool skipLinked = false)
    {
        foreach (var name in names)
        {
            if (!skipLinked || links?.Any(l => l.Name == name) != true) (links ??= []).Add(new AclLink { Name = name });
        }
        foreach (var prefix in idPrefixes)
        {
            if (await TryAsync(ctx, $"Error resolving {kind.Noun} ID ", () => kind.IdFromPartialAsync(api, prefix)) is not (true, var id))
                return (false, links);
            if (!skipLinked || links?.Any(l => l.ID == id) != true) (links ??= []).Add(new AclLink { ID = id });
        }
        return (true, links);
    }

    /// <summary>The -service-identity and -node-identity values, services first; false after printing the first malformed one.</summary>
    protected static bool TryParseIdentities(CliContext ctx, IReadOnlyList<string> services, IReadOnlyList<string> nodes,
        out List<AclServiceIdentityDto>? serviceIdentities, out List<AclNodeIdentityDto>? nodeIdentities)
    {
        nodeIdentities = null;
        return TryParse(ctx, () => AclLookup.ServiceIdentities(services), out serviceIdentities) &&
               TryParse(ctx, () => AclLookup.NodeIdentities(nodes), out nodeIdentities);
    }

    /// <summary>-service-identity / -node-identity parsing: a malformed value prints Consul's message on its own.</summary>
    protected static bool TryParse<T>(CliContext ctx, Func<T> parse, out T value)
    {
        try
        {
            value = parse();
            return true;
        }
        catch (AclLookupException e)
        {
            ctx.Err(e.Message);
            value = default!;
            return false;
        }
    }
}

/// <summary>command/helpers LoadDataSource / LoadDataSourceNoRaw: a value, @file, or - for stdin (kv put's <see cref="CliData"/> forms).</summary>
internal static class AclDataSource
{
    public static async Task<string> LoadAsync(string data, CliContext ctx) =>
        Encoding.UTF8.GetString(await CliData.ReadValueAsync(data, ctx));

    /// <summary>Only a file path or "-": used where a raw value would end up in shell history (tokens).</summary>
    public static async Task<string> LoadNoRawAsync(string data, CliContext ctx)
    {
        if (data.Length == 0) throw new CliUsageException("Failed to load data: must specify a file path or '-' for stdin");
        return await LoadAsync(data == "-" ? data : "@" + data, ctx);
    }
}
