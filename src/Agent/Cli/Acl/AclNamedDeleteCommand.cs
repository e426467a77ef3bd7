namespace Consul.Agent.Cli.Acl;

/// <summary>
/// `consul acl policy delete` and `consul acl role delete`, which work alike: -id (a unique
/// prefix) or -name resolves to one ID, which is deleted.
/// </summary>
internal abstract class AclNamedDeleteCommand : AclCommand
{
    private readonly AclNamedKind _kind;
    private readonly string _missingIdOrName;
    private string _id = "", _name = "";

    /// <param name="missingIdOrName">Consul's text when neither flag is given (it differs between the two commands).</param>
    protected AclNamedDeleteCommand(AclNamedKind kind, string missingIdOrName)
    {
        _kind = kind;
        _missingIdOrName = missingIdOrName;
        Flags.String("id", $"The ID of the {kind.Noun} to delete. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           $"matches multiple {kind.Noun} IDs", v => _id = v);
        Flags.String("name", $"The name of the {kind.Noun} to delete.", v => _name = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
    }

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (!IdOrNameGiven(ctx, _id, _name, _missingIdOrName)) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        if (await TryAsync(ctx, _kind.DetermineIdFailure, () => _kind.IdFromPartialOrNameAsync(api, _id, _name)) is not (true, var id)) return 1;
        var quoted = GoFlagSet.GoQuote(id);
        if (!await TryAsync(ctx, $"Error deleting {_kind.Noun} {quoted}", () => _kind.DeleteAsync(api, id))) return 1;
        ctx.Out($"{_kind.Title} {quoted} deleted successfully");
        return 0;
    }
}
