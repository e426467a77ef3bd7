namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy list` (command/acl/policy/list).</summary>
internal sealed class PolicyListCommand : AclCommand
{
    private bool _showMeta;

    public PolicyListCommand()
    {
        Flags.Bool("meta", "Indicates that policy metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Lists ACL policies";

    protected override string HelpText => """

        Usage: consul acl policy list [options]

            Lists all the ACL policies

            Example:

                $ consul acl policy list
        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (CreateClient(ctx) is not { } client) return 1;
        List<AclPolicyDto>? policies;
        try
        {
            policies = await new AclApi(client).PolicyListAsync();
        }
        catch (CliApiException e)
        {
            ctx.Err($"Failed to retrieve the policy list: {e.Message}");
            return 1;
        }
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new PolicyFormatter(format, _showMeta).FormatPolicyList(policies));
        return 0;
    }
}
