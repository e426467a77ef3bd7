using static Consul.Tests.Cli.Acl.AclFixtures;

namespace Consul.Tests.Cli.Acl;

public sealed class AclTokenOutputTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Pretty_token_shows_auth_method_expiry_identities_and_templated_policies()
    {
        const string token = $$"""
            {"AccessorID":"{{TokenId}}","SecretID":"{{TokenSecret}}","Description":"login","Namespace":"foo",
             "NodeIdentities":[{"NodeName":"bagend","Datacenter":"dc1"}],
             "TemplatedPolicies":[{"TemplateName":"builtin/service","TemplateVariables":{"Name":"web"},"Datacenters":["dc1","dc2"]},{"TemplateName":"builtin/dns"}],
             "Local":true,"AuthMethod":"k8s","AuthMethodNamespace":"baz",
             "ExpirationTime":"2026-11-28T14:13:03.000000001Z","CreateTime":"2026-11-28T13:13:03Z","CreateIndex":1,"ModifyIndex":1}
            """;
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(token));

        var r = await Run("acl", "token", "read", "-accessor-id", TokenId);

        Assert.Equal($"""
            AccessorID:       {TokenId}
            SecretID:         {TokenSecret}
            Namespace:        foo
            Description:      login
            Local:            true
            Auth Method:      k8s (Namespace: baz)
            Create Time:      2026-11-28 13:13:03 +0000 UTC
            Expiration Time:  2026-11-28 14:13:03.000000001 +0000 UTC
            Node Identities:
               bagend (Datacenter: dc1)
            Templated Policies:
               builtin/service
                  Name: web
                  Datacenters: dc1, dc2
               builtin/dns
                  Datacenters: all


            """, r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Json_token_keeps_Go_field_order_for_optional_fields()
    {
        const string token = $$"""
            {"accessorid":"{{TokenId}}","SecretID":"{{TokenSecret}}","Description":"<d&>","Namespace":"foo","Partition":"p",
             "Local":true,"AuthMethod":"k8s","AuthMethodNamespace":"baz","ExpirationTTL":0,
             "ExpirationTime":"2026-11-28T14:13:03+01:00","CreateTime":"2026-11-28T13:13:03Z","Hash":"","CreateIndex":1,"ModifyIndex":2,"Unknown":1}
            """;
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(token));

        var r = await Run("acl", "token", "read", "-accessor-id", TokenId, "-format", "json");

        Assert.Equal($$"""
            {
                "CreateIndex": 1,
                "ModifyIndex": 2,
                "AccessorID": "{{TokenId}}",
                "SecretID": "{{TokenSecret}}",
                "Description": "\u003cd\u0026\u003e",
                "Local": true,
                "AuthMethod": "k8s",
                "ExpirationTime": "2026-11-28T14:13:03+01:00",
                "CreateTime": "2026-11-28T13:13:03Z",
                "Namespace": "foo",
                "Partition": "p",
                "AuthMethodNamespace": "baz"
            }

            """, r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Datacenter_and_token_flags_reach_every_request()
    {
        Server.On("GET /v1/acl/tokens", FakeResponse.Json(TokenList));
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(Token));

        var r = await Run("acl", "token", "read", "-accessor-id", "6a", "-datacenter", "dc2", "-token", "root");

        Assert.Equal(0, r.Code);
        Assert.All(Server.Requests, q =>
        {
            Assert.Equal("?dc=dc2", q.Query);
            Assert.Equal("root", q.Header("X-Consul-Token"));
        });
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact(Timeout = 20000)]
    public async Task Unreachable_agent_reports_the_transport_error()
    {
        var port = CliRunner.ClosedPort();

        var r = await CliRunner.RunAsync($"127.0.0.1:{port}", ["acl", "token", "list"]);

        Assert.Equal(1, r.Code);
        Assert.StartsWith($"Failed to retrieve the token list: Get \"http://127.0.0.1:{port}/v1/acl/tokens\": dial tcp 127.0.0.1:{port}: connect: connection refused", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Role_id_prefixes_resolve_through_the_role_list()
    {
        Server.On("GET /v1/acl/roles", FakeResponse.Json(RoleList));
        Server.On("PUT /v1/acl/token", FakeResponse.Json(Token));

        var ok = await Run("acl", "token", "create", "-role-id", "aa77");
        var bad = await Run("acl", "token", "create", "-role-id", "bb");

        Assert.Equal(0, ok.Code);
        Assert.Contains($"\"Roles\":[{{\"ID\":\"{RoleId}\",\"Name\":\"\"}}]", Server.Single("PUT", "/v1/acl/token").BodyText);
        Assert.Equal(new CliResult(1, "", "Error resolving role ID : No such role ID with prefix: bb\n"), bad);
    }

    [Fact(Timeout = 20000)]
    public async Task Expanded_json_puts_expansion_fields_before_the_embedded_token()
    {
        const string expanded = $$"""
            {"ExpandedPolicies":[{"ID":"{{PolicyId}}","Name":"p","Rules":"acl = \"read\""}],"ExpandedRoles":null,
             "AgentACLDefaultPolicy":"allow","AgentACLDownPolicy":"extend-cache","ResolvedByAgent":"n1",
             "AccessorID":"{{TokenId}}","SecretID":"s","Local":false,"CreateTime":"2026-11-28T13:13:03Z"}
            """;
        Server.On($"GET /v1/acl/token/{TokenId}", FakeResponse.Json(expanded));

        var r = await Run("acl", "token", "read", "-accessor-id", TokenId, "-expanded", "-format=json");

        Assert.Equal(0, r.Code);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.Equal(["ExpandedPolicies", "ExpandedRoles", "NamespaceDefaultPolicyIDs", "NamespaceDefaultRoleIDs",
                "AgentACLDefaultPolicy", "AgentACLDownPolicy", "ResolvedByAgent",
                "CreateIndex", "ModifyIndex", "AccessorID", "SecretID", "Description", "Local", "CreateTime"],
            doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["ID", "Name", "Description", "Rules", "Datacenters", "Hash", "CreateIndex", "ModifyIndex"],
            doc.RootElement.GetProperty("ExpandedPolicies")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, doc.RootElement.GetProperty("ExpandedRoles").ValueKind);
    }
}
