namespace Consul.Agent.Cli.Acl;

/// <summary>`consul acl policy read` (command/acl/policy/read).</summary>
internal sealed class PolicyReadCommand : AclCommand
{
    private string _id = "", _name = "";
    private bool _showMeta;

    public PolicyReadCommand()
    {
        Flags.Bool("meta", "Indicates that policy metadata such " +
                           "as the content hash and raft indices should be shown for each entry", v => _showMeta = v);
        Flags.String("id", "The ID of the policy to read. " +
                           "It may be specified as a unique ID prefix but will error if the prefix " +
                           "matches multiple policy IDs", v => _id = v);
        Flags.String("name", "The name of the policy to read.", v => _name = v);
        AddFormatFlag();
        AddHttpFlags(serverFlags: true, Tenancy.MultiTenancy);
        SealHelp();
    }

    public override string Synopsis => "Read an ACL policy";

    protected override string HelpText => """

        Usage: consul acl policy read [options] POLICY

            This command will retrieve and print out the details
            of a single policy.

            Read:

                $ consul acl policy read -id fdabbcb5-9de5-4b1a-961f-77214ae88cba

            Read by name:

                $ consul acl policy read -name my-policy

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

        var policyId = "";
        AclPolicyDto? policy;
        try
        {
            if (_id.Length > 0)
            {
                try
                {
                    policyId = await AclLookup.PolicyIdFromPartialAsync(api, _id);
                }
                catch (Exception e) when (e is AclLookupException or CliApiException)
                {
                    ctx.Err($"Error determining policy ID: {e.Message}");
                    return 1;
                }
                policy = await api.PolicyReadAsync(policyId);
            }
            else
            {
                policy = await AclLookup.PolicyByNameAsync(api, _name);
            }
        }
        catch (Exception e) when (e is AclLookupException or CliApiException)
        {
            var what = _id.Length > 0 ? $"id:{policyId}" : $"name:{_name}";
            ctx.Err($"Error reading policy {GoFlagSet.GoQuote(what)}: {e.Message}");
            return 1;
        }
        if (policy is null)
        {
            ctx.Err($"Error policy not found: {_name}");
            return 1;
        }

        if (!TryFormat(ctx, out var format)) return 1;
        Print(ctx, new PolicyFormatter(format, _showMeta).FormatPolicy(policy));
        return 0;
    }
}
