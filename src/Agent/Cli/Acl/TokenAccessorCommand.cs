namespace Consul.Agent.Cli.Acl;

/// <summary>
/// The token commands that act on one token (read, update, clone, delete): its -accessor-id
/// flag, the deprecated -id alias, and resolving either to a full accessor ID.
/// </summary>
internal abstract class TokenAccessorCommand : AclCommand
{
    private string _accessorId = "", _tokenId = "";

    protected void AddAccessorIdFlag(string usage) => Flags.String("accessor-id", usage, v => _accessorId = v);

    /// <summary>Registered after <see cref="AclCommand.SealHelp"/>, so it parses but stays out of the help.</summary>
    protected void AddDeprecatedIdFlag() => Flags.String("id", "DEPRECATED. Use -accessor-id instead.", v => _tokenId = v);

    /// <summary>
    /// -accessor-id, else -id after warning that it is deprecated; null after printing
    /// <paramref name="missing"/> when neither is given. The texts differ between Consul's commands.
    /// </summary>
    protected string? AccessorArgument(CliContext ctx, string missing, string deprecatedWarning)
    {
        if (_accessorId.Length > 0) return _accessorId;
        if (_tokenId.Length == 0)
        {
            ctx.Err(missing);
            return null;
        }
        Warn(ctx, deprecatedWarning);
        return _tokenId;
    }

    /// <summary>The full accessor ID for a prefix (or "anonymous"); Ok = false after printing "failure: error".</summary>
    protected static Task<(bool Ok, string Value)> ResolveAccessorAsync(CliContext ctx, AclApi api, string accessor, string failure) =>
        TryAsync(ctx, failure, () => AclLookup.TokenAccessorIdFromPartialAsync(api, accessor));
}
