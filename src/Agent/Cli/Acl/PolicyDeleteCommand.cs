namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy delete` (command/acl/policy/delete).</summary>
internal sealed class PolicyDeleteCommand : AclCommand
{
    private string _id = "", _name = "";

    public PolicyDeleteCommand()
    {
        Flags.String("id", "The ID of the policy to delete. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple policy IDs", v => _id = v);
        Flags.String("name", "The name of the policy to delete.", v => _name = v);
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Delete an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy delete [options] -id POLICY

            Deletes an ACL policy by providing either the ID or a unique ID prefix.

            Delete by prefix:

                $ consul acl policy delete -id b6b85

            Delete by full ID:

                $ consul acl policy delete -id b6b856da-5193-4e78-845a-7d61ca8371ba

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        if (_id.Length == 0 && _name.Length == 0)
        {
            ctx.Err("Must specify either the -id or -name parameters");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        var api = new AclApi(client);

        string policyId;
        try
        {
            policyId = _id.Length > 0
                ? await AclLookup.PolicyIdFromPartialAsync(api, _id)
                : await AclLookup.PolicyIdByNameAsync(api, _name);
        }
        catch (Exception e) when (e is AclLookupException or CliApiException)
        {
            ctx.Err($"Error determining policy ID: {e.Message}");
            return 1;
        }
        try
        {
            await api.PolicyDeleteAsync(policyId);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error deleting policy {GoFlagSet.GoQuote(policyId)}: {e.Message}");
            return 1;
        }
        ctx.Out($"Policy {GoFlagSet.GoQuote(policyId)} deleted successfully");
        return 0;
    }
}
