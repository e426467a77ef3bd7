namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl policy read` and `consul acl role read`: one flow (-id as a unique prefix, else
/// -name; read; print) with each command's own error texts, which Consul words differently.
/// </summary>
internal abstract class AclNamedReadCommand<T> : AclCommand where T : class
{
    private readonly AclNamedKind _kind;
    private string _id = "", _name = "";

    protected AclNamedReadCommand(AclNamedKind kind)
    {
        _kind = kind;
        AddMetaFlag(kind.Noun);
        // "policy IDs" is Consul's wording for the role flag too.
        Flags.String("id", $"The ID of the {kind.Noun} to read. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple policy IDs", v => _id = v);
        Flags.String("name", $"The name of the {kind.Noun} to read.", v => _name = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    /// <summary>The object with this full ID; null when the agent has none.</summary>
    protected abstract Task<T?> ReadByIdAsync(AclApi api, string id);

    protected abstract Task<T?> ReadByNameAsync(AclApi api, string name);

    /// <summary>What a failed read prints before ": error"; <paramref name="key"/> is the resolved ID or the name.</summary>
    protected abstract string ReadFailure(bool byId, string key);

    protected abstract string NotFound(bool byId, string key);

    protected abstract string Format(AclOutputFormat format, T found);

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (!IdOrNameGiven(ctx, _id, _name, "Must specify either the -id or -name parameters")) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        var byId = _id.Length > 0;
        var key = _name;
        if (byId)
        {
            if (await TryAsync(ctx, _kind.DetermineIdFailure, () => _kind.IdFromPartialAsync(api, _id)) is not (true, var id)) return 1;
            key = id;
        }
        if (await TryAsync(ctx, ReadFailure(byId, key), () => byId ? ReadByIdAsync(api, key) : ReadByNameAsync(api, key)) is not (true, var found))
            return 1;
        if (found is null)
        {
            ctx.Err(NotFound(byId, key));
            return 1;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, Format(format, found));
        return 0;
    }
}
