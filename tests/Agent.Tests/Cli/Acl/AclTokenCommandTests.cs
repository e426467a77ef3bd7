using System.Text.Json;
using static Consul.Tests.Cli.Acl.AclFixtures;

namespace Consul.Tests.Cli.Acl;

public sealed class AclTokenCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Bootstrap_prints_the_token_and_sends_no_body()
    {
        Server.On("PUT /v1/acl/bootstrap", FakeResponse.Json(Token));

        var r = await Run("acl", "bootstrap");

        Assert.Equal(new CliResult(0, TokenPretty, ""), r);
        Assert.Empty(Server.Single("PUT", "/v1/acl/bootstrap").Body);
    }

    [Fact(Timeout = 20000)]
    public async Task Bootstrap_with_secret_from_stdin_sends_it_and_prints_json()
    {
        Server.On("PUT /v1/acl/bootstrap", FakeResponse.Json(Token));

        var r = await RunWith(new(), "my-secret\n", "acl", "bootstrap", "-format=json", "-");

        Assert.Equal(0, r.Code);
        Assert.Equal("{\"BootstrapSecret\":\"my-secret\"}\n", Server.Single("PUT", "/v1/acl/bootstrap").BodyText);
        Assert.Equal($$"""
            {
                "CreateIndex": 59,
                "ModifyIndex": 60,
                "AccessorID": "{{TokenId}}",
                "SecretID": "{{TokenSecret}}",
                "Description": "Agent token for 'node1'",
                "Policies": [
                    {
                        "ID": "{{PolicyId}}",
                        "Name": "node1-write"
                    }
                ],
                "Local": false,
                "CreateTime": "2026-11-28T13:13:03.5Z",
                "Hash": "AQID"
            }

            """, r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Bootstrap_failure_and_extra_arguments()
    {
        Server.On("PUT /v1/acl/bootstrap", FakeResponse.Text(403, "Permission denied: ACL bootstrap no longer allowed (reset index: 13)"));

        var failed = await Run("acl", "bootstrap");
        var extra = await Run("acl", "bootstrap", "a", "b");

        Assert.Equal(new CliResult(1, "", "Failed ACL bootstrapping: Unexpected response code: 403 (Permission denied: ACL bootstrap no longer allowed (reset index: 13))\n"), failed);
        Assert.Equal(new CliResult(1, "", "This command takes up to one argument\n"), extra);
    }

    [Fact(Timeout = 20000)]
    public async Task Create_sends_the_token_in_Go_field_order_with_resolved_policy_prefix()
    {
        Server.On("GET /v1/acl/policies", FakeResponse.Json(PolicyList));
        Server.On("PUT /v1/acl/token", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "create", "-description", "d", "-policy-name", "p1", "-policy-id", "165d",
            "-role-name", "r1", "-service-identity", "db:east,west", "-service-identity", "web", "-node-identity", "n1:dc1",
            "-local", "-expires-ttl", "1h");

        Assert.Equal(new CliResult(0, TokenPretty, ""), r);
        var body = Server.Single("PUT", "/v1/acl/token").BodyText;
        Assert.Equal(
            "{\"CreateIndex\":0,\"ModifyIndex\":0,\"AccessorID\":\"\",\"SecretID\":\"\",\"Description\":\"d\"," +
            $"\"Policies\":[{{\"ID\":\"\",\"Name\":\"p1\"}},{{\"ID\":\"{PolicyId}\",\"Name\":\"\"}}]," +
            "\"Roles\":[{\"ID\":\"\",\"Name\":\"r1\"}]," +
            "\"ServiceIdentities\":[{\"ServiceName\":\"db\",\"Datacenters\":[\"east\",\"west\"]},{\"ServiceName\":\"web\"}]," +
            "\"NodeIdentities\":[{\"NodeName\":\"n1\",\"Datacenter\":\"dc1\"}]," +
            "\"Local\":true,\"ExpirationTTL\":3600000000000,\"CreateTime\":\"0001-01-01T00:00:00Z\"}\n", body);
    }

    [Fact(Timeout = 20000)]
    public async Task Create_rejects_missing_links_bad_identities_and_unknown_prefixes()
    {
        Server.On("GET /v1/acl/policies", FakeResponse.Json(PolicyList));

        var none = await Run("acl", "token", "create", "-description", "x");
        var badNode = await Run("acl", "token", "create", "-node-identity", "n1");
        var badPrefix = await Run("acl", "token", "create", "-policy-id", "zzz");
        var badTtl = await Run("acl", "token", "create", "-expires-ttl", "soon");

        Assert.Equal(new CliResult(1, "", "Cannot create a token without specifying -policy-name, -policy-id, -role-name, -role-id, -service-identity, or -node-identity at least once\n"), none);
        Assert.Equal(new CliResult(1, "", "Malformed -node-identity argument: \"n1\"\n"), badNode);
        Assert.Equal(new CliResult(1, "", "Error resolving policy ID : No such policy ID with prefix: zzz\n"), badPrefix);
        Assert.Equal(1, badTtl.Code);
        Assert.StartsWith("invalid value \"soon\" for flag -expires-ttl: parse error\n", badTtl.Stderr);
        Assert.DoesNotContain(Server.Requests, q => q.Method == "PUT");
    }

    [Fact(Timeout = 20000)]
    public async Task Read_resolves_a_prefix_through_the_list_and_shows_meta()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "read", "-accessor-id", "6a", "-meta");

        Assert.Equal(0, r.Code);
        Assert.Equal($"""
            AccessorID:       {TokenId}
            SecretID:         {TokenSecret}
            Description:      Agent token for 'node1'
            Local:            false
            Create Time:      2026-11-28 13:13:03.5 +0000 UTC
            Hash:             010203
            Create Index:     59
            Modify Index:     60
            Policies:
               {PolicyId} - node1-write


            """, r.Stdout);
        Assert.Equal(["/v1/acl/tokens", $"/v1/acl/token/{TokenId}"], Server.Requests.Select(q => q.Path));
    }

    [Fact(Timeout = 20000)]
    public async Task Read_errors_are_Consuls()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));
        Server.On($"GET /v1/acl/token/{OtherTokenId}", FakeResponse.Text(403, "ACL not found"));

        var ambiguous = await Run("acl", "token", "read", "-accessor-id", "6");
        var missing = await Run("acl", "token", "read", "-accessor-id", "ff");
        var denied = await Run("acl", "token", "read", "-accessor-id", OtherTokenId);
        var noId = await Run("acl", "token", "read");
        var both = await Run("acl", "token", "read", "-self", "-expanded");

        Assert.Equal(new CliResult(1, "", "Error determining token ID: Partial token ID is not unique\n"), ambiguous);
        Assert.Equal(new CliResult(1, "", "Error determining token ID: No such token ID with prefix: ff\n"), missing);
        Assert.Equal(new CliResult(1, "", $"Error reading token \"{OtherTokenId}\": Unexpected response code: 403 (ACL not found)\n"), denied);
        Assert.Equal(new CliResult(1, "", "Must specify the -accessor-id parameter\n"), noId);
        Assert.Equal(new CliResult(1, "", "Cannot use both -expanded and -self. Instead, use -expanded and -accessor-id=<accessor id>.\n"), both);
    }

    [Fact(Timeout = 20000)]
    public async Task Read_self_uses_the_request_token_and_deprecated_id_warns()
    {
        Server.On("GET /v1/acl/token/self", FakeResponse.Json(Token));
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var self = await RunWith(new() { ["CONSUL_HTTP_TOKEN"] = TokenSecret }, "", "acl", "token", "read", "-self");
        var byId = await Run("acl", "token", "read", "-id", TokenId);

        Assert.Equal(new CliResult(0, TokenPretty, ""), self);
        Assert.Equal(TokenSecret, Server.Single("GET", "/v1/acl/token/self").Header("X-Consul-Token"));
        Assert.Equal(new CliResult(0, TokenPretty, "Use the -accessor-id parameter to specify token by Accessor ID\n"), byId);
    }

    [Fact(Timeout = 20000)]
    public async Task Read_expanded_shows_resolved_policies_roles_and_agent_defaults()
    {
        const string expanded = $$"""
            {"ExpandedPolicies":[{"ID":"{{PolicyId}}","Name":"node1-write","Description":"writes node1","Rules":"node \"node1\" {\n  policy = \"write\"\n}","Datacenters":null}],
             "ExpandedRoles":[{"ID":"{{RoleId}}","Name":"db","Description":"database role","Policies":[{"ID":"{{PolicyId}}","Name":"node1-write"}]}],
             "NamespaceDefaultPolicyIDs":null,"NamespaceDefaultRoleIDs":null,
             "AgentACLDefaultPolicy":"deny","AgentACLDownPolicy":"extend-cache","ResolvedByAgent":"server-1",
             "AccessorID":"{{TokenId}}","SecretID":"{{TokenSecret}}","Description":"d",
             "Policies":[{"ID":"{{PolicyId}}","Name":"node1-write"}],"Roles":[{"ID":"{{RoleId}}","Name":"db"}],
             "NodeIdentities":[{"NodeName":"n1","Datacenter":"dc1"}],
             "Local":false,"CreateTime":"2026-11-28T13:13:03Z","Hash":"AQID","CreateIndex":1,"ModifyIndex":2}
            """;
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(expanded));

        var r = await Run("acl", "token", "read", "-accessor-id", TokenId, "-expanded");

        Assert.Equal(0, r.Code);
        Assert.Equal("?expanded=true", Server.Single("GET", $"/v1/acl/token/{TokenId}").Query);
        var expected =
            $"AccessorID:       {TokenId}\nSecretID:         {TokenSecret}\nDescription:      d\nLocal:            false\n" +
            "Create Time:      2026-11-28 13:13:03 +0000 UTC\n" +
            "Policies:\n\tPolicy Name: node1-write\n\t\tID: " + PolicyId + "\n\t\tDescription: writes node1\n\t\tRules:\n" +
            "\t\t\tnode \"node1\" {\n\t\t\t  policy = \"write\"\n\t\t\t}\n\n" +
            "Node Identities:\n\tName: n1 (Datacenter: dc1)\n" +
            "\t\tDescription: synthetic policy generated from templated policy: builtin/node\n" +
            "\t\tRules:\n\t\t\tnode \"n1\" {\n\t\t\t\tpolicy = \"write\"\n\t\t\t}\n\t\t\tservice_prefix \"\" {\n\t\t\t\tpolicy = \"read\"\n\t\t\t}\n\n" +
            "Roles:\n\tRole Name: db\n\t\tID: " + RoleId + "\n\t\tDescription: database role\n\t\tPolicies:\n" +
            "\t\t\tPolicy Name: node1-write\n\t\t\t\tID: " + PolicyId + "\n\t\t\t\tDescription: writes node1\n\t\t\t\tRules:\n" +
            "\t\t\t\t\tnode \"node1\" {\n\t\t\t\t\t  policy = \"write\"\n\t\t\t\t\t}\n\n" +
            "=== End of Authorizer Layer 0: Token ===\n" +
            "=== Start of Authorizer Layer 2: Agent Configuration Defaults (Inherited) ===\n" +
            "Description: Defined at request-time by the agent that resolves the ACL token; other agents may have different configuration defaults\n" +
            "Resolved By Agent: \"server-1\"\n\n" +
            "Default Policy: deny\n" +
            "\tDescription: Backstop rule used if no preceding layer has a matching rule (refer to default_policy option in agent configuration)\n\n" +
            "Down Policy: extend-cache\n" +
            "\tDescription: Defines what to do if this Token's information cannot be read from the primary_datacenter (refer to down_policy option in agent configuration)\n\n\n";
        Assert.Equal(expected, r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Update_replaces_policies_appends_roles_and_keeps_the_rest()
    {
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));
        Server.On($"PUT /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "update", "-accessor-id", TokenId, "-policy-name", "other",
            "-append-role-name", "r2", "-append-service-identity", "web:dc1");

        Assert.Equal(0, r.Code);
        using var body = JsonDocument.Parse(Server.Single("PUT", $"/v1/acl/token/{TokenId}").Body);
        var root = body.RootElement;
        Assert.Equal("Agent token for 'node1'", root.GetProperty("Description").GetString());
        Assert.Equal(TokenSecret, root.GetProperty("SecretID").GetString());
        Assert.Equal("""[{"ID":"","Name":"other"}]""", root.GetProperty("Policies").GetRawText());
        Assert.Equal("""[{"ID":"","Name":"r2"}]""", root.GetProperty("Roles").GetRawText());
        Assert.Equal("""[{"ServiceName":"web","Datacenters":["dc1"]}]""", root.GetProperty("ServiceIdentities").GetRawText());
        Assert.Equal("2026-11-28T13:13:03.5Z", root.GetProperty("CreateTime").GetString());
        Assert.Equal("AQID", root.GetProperty("Hash").GetString());
    }

    [Fact(Timeout = 20000)]
    public async Task Update_with_deprecated_merge_policies_keeps_existing_links_and_warns()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));
        Server.On($"PUT /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "update", "-id", "6a", "-merge-policies", "-policy-name", "node1-write",
            "-policy-name", "extra", "-description", "new");

        Assert.Equal(0, r.Code);
        Assert.Equal("Use the -accessor-id parameter to specify token by Accessor ID\n" +
                     "merge-policies is deprecated and will be removed in a future Consul version. Use `append-policy-name` or `append-policy-id` instead.\n",
            r.Stderr);
        using var body = JsonDocument.Parse(Server.Single("PUT", $"/v1/acl/token/{TokenId}").Body);
        Assert.Equal($$"""[{"ID":"{{PolicyId}}","Name":"node1-write"},{"ID":"","Name":"extra"}]""",
            body.RootElement.GetProperty("Policies").GetRawText());
        Assert.Equal("new", body.RootElement.GetProperty("Description").GetString());
    }

    [Fact(Timeout = 20000)]
    public async Task Update_refuses_mixing_replace_and_append_flags()
    {
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var policies = await Run("acl", "token", "update", "-accessor-id", TokenId, "-policy-name", "a", "-append-policy-name", "b");
        var missing = await Run("acl", "token", "update");

        Assert.Equal(1, policies.Code);
        Assert.StartsWith("Cannot combine the use of policy-id/policy-name flags with append- variants.", policies.Stderr);
        Assert.Equal(new CliResult(1, "", "Cannot update a token without specifying the -accessor-id parameter\n"), missing);
        Assert.DoesNotContain(Server.Requests, q => q.Method == "PUT");
    }

    [Fact(Timeout = 20000)]
    public async Task Clone_sends_the_description_and_anonymous_maps_to_its_accessor()
    {
        const string anonymous = "00000000-0000-0000-0000-000000000002";
        Server.On($"PUT /v1/acl/token/{anonymous}/clone", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "clone", "-accessor-id", "anonymous", "-description", "copy");

        Assert.Equal(new CliResult(0, TokenPretty, ""), r);
        Assert.Equal("{\"Description\":\"copy\"}\n", Server.Single("PUT", $"/v1/acl/token/{anonymous}/clone").BodyText);
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_reports_success_and_failure()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));
        Server.On($"DELETE /v1/acl/token/{TokenId}", FakeResponse.Json("true"));
        Server.On($"DELETE /v1/acl/token/{OtherTokenId}", FakeResponse.Text(500, "boom"));

        var ok = await Run("acl", "token", "delete", "-accessor-id", "6a");
        var failed = await Run("acl", "token", "delete", "-accessor-id", "6b");

        Assert.Equal(new CliResult(0, $"Token \"{TokenId}\" deleted successfully\n", ""), ok);
        Assert.Equal(new CliResult(1, "", $"Error deleting token \"{OtherTokenId}\": Unexpected response code: 500 (boom)\n"), failed);
    }

    [Fact(Timeout = 20000)]
    public async Task List_pretty_separates_entries_and_json_keeps_list_entry_fields()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));

        var pretty = await Run("acl", "token", "list");
        var json = await Run("acl", "token", "list", "-format", "json");

        Assert.Equal($"""
            AccessorID:       {TokenId}
            SecretID:         {TokenSecret}
            Description:      first
            Local:            false
            Create Time:      2026-11-28 13:13:03 +0000 UTC

            AccessorID:       {OtherTokenId}
            SecretID:         s2
            Description:      second
            Local:            true
            Create Time:      2026-11-28 13:14:00 +0000 UTC
            Roles:
               {RoleId} - db
            Service Identities:
               web (Datacenters: all)


            """, pretty.Stdout);
        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Stdout);
        var second = doc.RootElement[1];
        Assert.Equal(JsonValueKind.Null, second.GetProperty("Hash").ValueKind);
        Assert.Equal(["CreateIndex", "ModifyIndex", "AccessorID", "SecretID", "Description", "Roles", "ServiceIdentities", "Local", "CreateTime", "Hash"],
            second.EnumerateObject().Select(p => p.Name));
        Assert.Contains("\n    {\n        \"CreateIndex\": 5,", json.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_format_is_reported_after_the_request()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));

        var r = await Run("acl", "token", "list", "-format", "yaml");

        Assert.Equal(new CliResult(1, "", "Unknown format: yaml\n"), r);
        Assert.Single(Server.Requests);
    }
}
