using System.Text.Json.Nodes;
using Consul.Core.Acl;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

public sealed class AclPolicyRoleApiTests(AclApiFixture fixture) : IClassFixture<AclApiFixture>
{
    private AclApiHost H => fixture.Acl;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact(Timeout = 30_000)]
    public async Task Policy_create_read_by_id_and_name_update_delete()
    {
        var name = Unique("p");
        var created = await H.PutOk("/v1/acl/policy", $$"""{"Name":"{{name}}","Description":"d","Rules":"key_prefix \"app/\" { policy = \"read\" }","Datacenters":["dc1"]}""");
        Assert.Equal(["ID", "Name", "Description", "Rules", "Datacenters", "Hash", "CreateIndex", "ModifyIndex"], AgentTestHost.Keys(created));
        var id = (string)created["ID"]!;

        Assert.Equal(name, (string)(await H.GetOk($"/v1/acl/policy/{id}"))["Name"]!);
        Assert.Equal(id, (string)(await H.GetOk($"/v1/acl/policy/name/{name}"))["ID"]!);
        Assert.Equal(AclBuiltins.GlobalReadOnlyPolicyId, (string)(await H.GetOk("/v1/acl/policy/name/builtin/global-read-only"))["ID"]!);

        var plain = await H.GetOk($"/v1/acl/policy/{AclBuiltins.GlobalManagementPolicyId}");
        Assert.Equal(["ID", "Name", "Description", "Rules", "Datacenters", "Hash", "CreateIndex", "ModifyIndex"], AgentTestHost.Keys(plain));
        Assert.Null(plain["Datacenters"]);

        var renamed = Unique("p");
        var updated = await H.PutOk($"/v1/acl/policy/{id}", $$"""{"Name":"{{renamed}}","Rules":""}""");
        Assert.Equal(renamed, (string)updated["Name"]!);
        Assert.True((ulong)updated["ModifyIndex"]! > (ulong)created["ModifyIndex"]!);

        var stubs = (await H.GetOk("/v1/acl/policies")).AsArray();
        var stub = stubs.Single(p => (string)p!["ID"]! == id)!;
        Assert.Equal(["ID", "Name", "Description", "Datacenters", "Hash", "CreateIndex", "ModifyIndex"], AgentTestHost.Keys(stub));
        Assert.Contains(stubs, p => (string)p!["Name"]! == AclBuiltins.GlobalManagementPolicyName);

        Assert.True((await H.Ok(HttpMethod.Delete, $"/v1/acl/policy/{id}")).GetValue<bool>());
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/policy/{id}"), 404, "Requested policy does not exist: ACL not found");
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/policy/name/{renamed}"), 404, "Requested policy does not exist: ACL not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Policy_writes_are_validated_with_Consuls_messages()
    {
        await AgentTestHost.AssertErrorStartsWith(await H.Put("/v1/acl/policy", $$"""{"Name":"{{Unique("p")}}","Rules":"key_prefix \"\" { policy = \"bogus\" }"}"""), 400, "Invalid key_prefix policy");
        await AgentTestHost.AssertErrorStartsWith(await H.Put("/v1/acl/policy", $$"""{"Name":"{{Unique("p")}}","Rules":"key_prefix {"}"""), 400, "Failed to parse ACL rules");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Rules":""}"""), 400, "Invalid Policy: no Name is set");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Name":null,"Rules":null}"""), 400, "Invalid Policy: no Name is set");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Name":"has space"}"""), 400,
            "Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", $$"""{"ID":"{{Guid.NewGuid()}}","Name":"x"}"""), 400, "Cannot specify the ID when creating a new policy");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Name":"x","Bogus":1}"""), 400, "Policy decoding failed: json: unknown field \"Bogus\"");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/policy", """{"Name":"global-management"}"""), 400,
            "Invalid Policy: A Policy with Name \"global-management\" already exists");

        var gm = AclBuiltins.GlobalManagementPolicyId;
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/policy/{gm}", """{"Name":"global-management","Rules":"acl = \"read\""}"""), 400,
            "Changing the Rules for the builtin global-management policy is not permitted");
        await AgentTestHost.AssertError(await H.Delete($"/v1/acl/policy/{gm}"), 400,
            "Delete operation not permitted on the builtin global-management policy");
        // Renaming keeps the rules, which is allowed.
        var kept = await H.PutOk($"/v1/acl/policy/{gm}", new JsonObject { ["Name"] = "global-management", ["Description"] = "mine", ["Rules"] = AclBuiltins.GlobalManagementPolicyRules }.ToJsonString());
        Assert.Equal("mine", (string)kept["Description"]!);
    }

    [Fact(Timeout = 30_000)]
    public async Task Role_crud_links_policies_by_name_and_lists_by_policy()
    {
        var policy = Unique("p");
        var policyId = await H.CreatePolicy(policy, "");
        var name = Unique("r");
        var role = await H.PutOk("/v1/acl/role", $$"""{"Name":"{{name}}","Description":"d","Policies":[{"Name":"{{policy}}"}],"ServiceIdentities":[{"ServiceName":"db"}]}""");
        var id = (string)role["ID"]!;
        Assert.Equal(policyId, (string)role["Policies"]![0]!["ID"]!);
        Assert.Equal(policy, (string)role["Policies"]![0]!["Name"]!);

        Assert.Equal(name, (string)(await H.GetOk($"/v1/acl/role/{id}"))["Name"]!);
        Assert.Equal(id, (string)(await H.GetOk($"/v1/acl/role/name/{name}"))["ID"]!);
        Assert.Equal([id], (await H.GetOk($"/v1/acl/roles?policy={policyId}")).AsArray().Select(r => (string)r!["ID"]!).ToList());

        // A token linked to the role by name gets the role's policy.
        var token = await H.PutOk("/v1/acl/token", $$"""{"Roles":[{"Name":"{{name}}"}]}""");
        Assert.Equal(id, (string)token["Roles"]![0]!["ID"]!);

        await AgentTestHost.AssertError(await H.Put("/v1/acl/role", $$"""{"Name":"{{name}}"}"""), 400, $"Invalid Role: A Role with Name \"{name}\" already exists");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/role", $$"""{"Name":"{{Unique("r")}}","Policies":[{"Name":"nope"}]}"""), 400, "No such ACL policy with name \"nope\"");
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/role/{id}", $$"""{"ID":"{{Guid.NewGuid()}}","Name":"x"}"""), 400, "Role ID in URL and payload do not match");

        var updated = await H.PutOk($"/v1/acl/role/{id}", $$"""{"Name":"{{name}}","Description":"changed"}""");
        Assert.Equal("changed", (string)updated["Description"]!);
        Assert.False(updated.AsObject().ContainsKey("Policies"));

        Assert.True((await H.Ok(HttpMethod.Delete, $"/v1/acl/role/{id}")).GetValue<bool>());
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/role/{id}"), 404, "Requested role does not exist: ACL not found");
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/role/name/{name}"), 404, "Requested role does not exist: ACL not found");
    }
}
