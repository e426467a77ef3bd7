using System.Text.Json.Nodes;
using Consul.Core.Acl;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

public sealed class AclTokenApiTests(AclApiFixture fixture) : IClassFixture<AclApiFixture>
{
    private AclApiHost H => fixture.Acl;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    [Fact(Timeout = 30_000)]
    public async Task Create_links_policies_by_name_and_reads_back_by_accessor_and_self()
    {
        var policy = Unique("p");
        var policyId = await H.CreatePolicy(policy, """key_prefix "" { policy = "read" }""");
        var created = await H.PutOk("/v1/acl/token", new JsonObject
        {
            ["Description"] = "web token",
            ["Policies"] = new JsonArray(new JsonObject { ["Name"] = policy }, new JsonObject { ["ID"] = policyId }),
            ["ServiceIdentities"] = new JsonArray(new JsonObject { ["ServiceName"] = "web" }, new JsonObject { ["ServiceName"] = "web", ["Datacenters"] = new JsonArray("dc1") }),
            ["NodeIdentities"] = new JsonArray(new JsonObject { ["NodeName"] = "n1", ["Datacenter"] = "dc1" }),
        }.ToJsonString());

        Assert.Equal(["AccessorID", "SecretID", "Description", "Policies", "ServiceIdentities", "NodeIdentities", "Local", "CreateTime", "Hash", "CreateIndex", "ModifyIndex"],
            AgentTestHost.Keys(created));
        var links = created["Policies"]!.AsArray();
        Assert.Single(links); // de-duplicated by ID
        Assert.Equal(policyId, (string)links[0]!["ID"]!);
        Assert.Equal(policy, (string)links[0]!["Name"]!);
        Assert.Single(created["ServiceIdentities"]!.AsArray()); // merged per service name
        Assert.Equal("dc1", (string)created["ServiceIdentities"]![0]!["Datacenters"]![0]!);

        var accessor = (string)created["AccessorID"]!;
        var secret = (string)created["SecretID"]!;
        var r = await H.Get($"/v1/acl/token/{accessor}");
        Assert.True(AgentTestHost.IndexOf(r) > 0);
        var read = await AgentTestHost.Json(r);
        Assert.Equal(secret, (string)read!["SecretID"]!);
        Assert.Equal("web token", (string)read["Description"]!);

        var expanded = await H.GetOk($"/v1/acl/token/{accessor}?expanded");
        Assert.Equal(accessor, (string)expanded["AccessorID"]!);
        var expandedNames = expanded["ExpandedPolicies"]!.AsArray().Select(p => (string)p!["Name"]!).ToList();
        Assert.Contains(policy, expandedNames);
        Assert.Equal(3, expandedNames.Count); // the linked policy and one synthesized per identity
        Assert.Equal("deny", (string)expanded["AgentACLDefaultPolicy"]!);
        Assert.Equal(AgentTestHost.NodeName, (string)expanded["ResolvedByAgent"]!);

        var self = await H.GetOk("/v1/acl/token/self", secret);
        Assert.Equal(accessor, (string)self["AccessorID"]!);
    }

    [Fact(Timeout = 30_000)]
    public async Task Unknown_links_and_bad_ids_are_rejected_with_Consuls_messages()
    {
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"Policies":[{"Name":"nope"}]}"""), 400, "No such ACL policy with name \"nope\"");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"Policies":[{"ID":"6a1253d2-1785-24fd-91c2-f8e78c745511"}]}"""), 400,
            "No such ACL policy with ID \"6a1253d2-1785-24fd-91c2-f8e78c745511\"");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"Roles":[{"Name":"nope"}]}"""), 400, "No such ACL role with name \"nope\"");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"AccessorID":"abc"}"""), 400, "Invalid Token: AccessorID - not a valid UUID");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"SecretID":"00000000-0000-0000-0000-000000000009"}"""), 400,
            "Invalid Token: SecretID - UUIDs with the prefix \"00000000-0000-0000-0000-0000000000\" are reserved");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"ServiceIdentities":[{"ServiceName":"Bad Name"}]}"""), 400,
            "Service identity \"Bad Name\" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", ""), 400, "Token decoding failed: EOF");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"Policies":[null]}"""), 400, "No such ACL policy with name \"\"");
        // JSON nulls leave fields at their zero values, as Go decodes them.
        var nulls = await H.PutOk("/v1/acl/token", """{"AccessorID":null,"SecretID":null,"Description":null,"Policies":null,"ExpirationTTL":null}""");
        Assert.Equal("", (string)nulls["Description"]!);

        var accessor = Guid.NewGuid().ToString();
        var secret = Guid.NewGuid().ToString();
        var t = await H.PutOk("/v1/acl/token", $$"""{"AccessorID":"{{accessor}}","SecretID":"{{secret}}"}""");
        Assert.Equal(accessor, (string)t["AccessorID"]!);
        Assert.Equal(secret, (string)t["SecretID"]!);
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", $$"""{"AccessorID":"{{accessor}}"}"""), 400, "Invalid Token: AccessorID is already in use");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", $$"""{"SecretID":"{{secret}}"}"""), 400, "Invalid Token: SecretID is already in use");
    }

    [Fact(Timeout = 30_000)]
    public async Task Update_keeps_the_secret_and_refuses_to_change_it_clone_copies_links()
    {
        var policy = Unique("p");
        await H.CreatePolicy(policy, "");
        var (accessor, secret) = await H.CreateToken(policy);

        var updated = await H.PutOk($"/v1/acl/token/{accessor}", """{"Description":"renamed"}""");
        Assert.Equal(secret, (string)updated["SecretID"]!);
        Assert.Equal("renamed", (string)updated["Description"]!);
        Assert.False(updated.AsObject().ContainsKey("Policies")); // update replaces the links

        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{accessor}", $$"""{"SecretID":"{{Guid.NewGuid()}}"}"""), 400,
            "Changing a token's SecretID is not permitted");
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{accessor}", $$"""{"AccessorID":"{{Guid.NewGuid()}}"}"""), 400,
            "Token Accessor ID in URL and payload do not match");
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{accessor}", """{"Local":true}"""), 400, $"Cannot toggle local mode of {accessor}");
        var missing = Guid.NewGuid().ToString();
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{missing}", "{}"), 400, $"Cannot find token \"{missing}\"");

        await H.PutOk($"/v1/acl/token/{accessor}", $$"""{"Description":"with policy","Policies":[{"Name":"{{policy}}"}]}""");
        var clone = await H.PutOk($"/v1/acl/token/{accessor}/clone", """{"Description":"the clone"}""");
        Assert.NotEqual(accessor, (string)clone["AccessorID"]!);
        Assert.NotEqual(secret, (string)clone["SecretID"]!);
        Assert.Equal("the clone", (string)clone["Description"]!);
        Assert.Equal(policy, (string)clone["Policies"]![0]!["Name"]!);

        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{missing}/clone", "{}"), 403, "ACL not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Delete_refuses_the_anonymous_and_the_requests_own_token_and_missing_reads_are_404()
    {
        var (accessor, secret) = await H.CreateToken();
        await H.PutOk($"/v1/acl/token/{accessor}", $$"""{"Policies":[{"ID":"{{AclBuiltins.GlobalManagementPolicyId}}"}]}""");

        await AgentTestHost.AssertError(await H.Delete($"/v1/acl/token/{accessor}", secret), 400,
            "Deletion of the request's authorization token is not permitted");
        await AgentTestHost.AssertError(await H.Delete($"/v1/acl/token/{AclBuiltins.AnonymousTokenId}"), 400,
            "Delete operation not permitted on the anonymous token");
        await AgentTestHost.AssertError(await H.Delete("/v1/acl/token/not-a-uuid"), 400, "Accessor ID is missing or an invalid UUID");

        Assert.Contains(accessor, Accessors(await H.GetOk("/v1/acl/tokens")));
        Assert.True((await H.Ok(HttpMethod.Delete, $"/v1/acl/token/{accessor}")).GetValue<bool>());
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/token/{accessor}"), 404, "Requested token does not exist: ACL not found");
        // Deleting again is not an error.
        Assert.True((await H.Ok(HttpMethod.Delete, $"/v1/acl/token/{accessor}")).GetValue<bool>());
        await AgentTestHost.AssertError(await H.Get("/v1/acl/token/self", secret), 404, "Supplied token does not exist");
    }

    [Fact(Timeout = 30_000)]
    public async Task List_gives_stubs_and_filters_by_policy_role_and_service_name()
    {
        var policy = Unique("p");
        var policyId = await H.CreatePolicy(policy, "");
        var role = await H.PutOk("/v1/acl/role", $$"""{"Name":"{{Unique("r")}}","Policies":[{"ID":"{{policyId}}"}]}""");
        var roleId = (string)role["ID"]!;
        var (byPolicy, _) = await H.CreateToken(policy);
        var byRole = (string)(await H.PutOk("/v1/acl/token", $$"""{"Roles":[{"ID":"{{roleId}}"}]}"""))["AccessorID"]!;
        var service = Unique("svc");
        var byService = (string)(await H.PutOk("/v1/acl/token", $$"""{"ServiceIdentities":[{"ServiceName":"{{service}}"}]}"""))["AccessorID"]!;

        var all = (await H.GetOk("/v1/acl/tokens")).AsArray();
        var accessors = all.Select(t => (string)t!["AccessorID"]!).ToList();
        Assert.Contains(AclBuiltins.AnonymousTokenId, accessors);
        Assert.Equal(accessors.Order(StringComparer.Ordinal), accessors);
        var stub = all.Single(t => (string)t!["AccessorID"]! == byPolicy)!;
        Assert.Equal(["AccessorID", "SecretID", "Description", "Policies", "Local", "CreateTime", "Hash", "CreateIndex", "ModifyIndex"], AgentTestHost.Keys(stub));

        Assert.Equal([byPolicy], Accessors(await H.GetOk($"/v1/acl/tokens?policy={policyId}")));
        Assert.Equal([byRole], Accessors(await H.GetOk($"/v1/acl/tokens?role={roleId}")));
        Assert.Equal([byService], Accessors(await H.GetOk($"/v1/acl/tokens?servicename={service}")));
        Assert.Equal([byService], Accessors(await H.GetOk($"/v1/acl/tokens?filter={Uri.EscapeDataString($"AccessorID == \"{byService}\"")}")));
        await AgentTestHost.AssertError(await H.Get($"/v1/acl/tokens?policy={policyId}&role={roleId}"), 400,
            "can only filter by one of policy, role, serviceName, or methodName at a time");
    }

    [Fact(Timeout = 30_000)]
    public async Task Expiration_ttl_becomes_an_expiration_time_within_the_allowed_range()
    {
        var t = await H.PutOk("/v1/acl/token", """{"ExpirationTTL":"10m"}""");
        var created = DateTimeOffset.Parse((string)t["CreateTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        var expires = DateTimeOffset.Parse((string)t["ExpirationTime"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromMinutes(10), expires - created);
        Assert.False(t.AsObject().ContainsKey("ExpirationTTL"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$", (string)t["CreateTime"]!);

        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"ExpirationTTL":"10s"}"""), 400,
            "ExpirationTime cannot be less than 1m0s in the future (was 10s)");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", """{"ExpirationTTL":"48h"}"""), 400,
            "ExpirationTime cannot be more than 24h0m0s in the future (was 48h0m0s)");
        await AgentTestHost.AssertError(await H.Put("/v1/acl/token", $$"""{"ExpirationTTL":"5m","ExpirationTime":"{{DateTimeOffset.UtcNow.AddMinutes(5):O}}"}"""), 400,
            "Token Expiration TTL and Expiration Time cannot both be set");

        var accessor = (string)t["AccessorID"]!;
        await AgentTestHost.AssertError(await H.Put($"/v1/acl/token/{accessor}", """{"ExpirationTTL":"20m"}"""), 400, $"Cannot change expiration time of {accessor}");
        var kept = await H.PutOk($"/v1/acl/token/{accessor}", """{"Description":"still expiring"}""");
        Assert.Equal(expires, DateTimeOffset.Parse((string)kept["ExpirationTime"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static List<string> Accessors(JsonNode list) => list.AsArray().Select(t => (string)t!["AccessorID"]!).ToList();
}

public sealed class AclTokenJsonTests
{
    [Theory]
    [InlineData(0, "2026-01-02T03:04:05Z")]
    [InlineData(1_230_000, "2026-01-02T03:04:05.123Z")]
    [InlineData(1, "2026-01-02T03:04:05.0000001Z")]
    public void Times_are_written_as_Go_writes_them(long extraTicks, string expected)
    {
        var t = new DateTimeOffset(2026, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)).AddTicks(extraTicks);
        Assert.Equal(expected, Consul.Agent.Http.Acl.AclTokenJson.GoTime(t));
    }
}
