namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy list` (command/acl/policy/list).</summary>
internal sealed class PolicyListCommand : AclCommand
{

    public PolicyListCommand()
    {
        AddMetaFlag("policy");
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
        if (await TryAsync(ctx, "Failed to retrieve the policy list", () => new AclApi(client).PolicyListAsync()) is not (true, var policies)) return 1;
        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new PolicyFormatter(format, ShowMeta).FormatPolicyList(policies));
        return 0;
    }
}
