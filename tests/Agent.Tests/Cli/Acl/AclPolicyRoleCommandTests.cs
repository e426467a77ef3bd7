using System.Text.Json;
using static Consul.Tests.Cli.Acl.AclFixtures;

namespace Consul.Tests.Cli.Acl;

public sealed class AclPolicyCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Create_reads_rules_from_a_file_and_sends_datacenters()
    {
        Server.On("PUT /v1/acl/policy", FakeResponse.Json(Policy));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "node \"node1\" { policy = \"write\" }");
            var r = await Run("acl", "policy", "create", "-name", "node1-write", "-description", "writes node1",
                "-rules", "@" + file, "-valid-datacenter", "dc1", "-valid-datacenter", "dc2");

            Assert.Equal(new CliResult(0, PolicyPretty, ""), r);
            Assert.Equal(
                "{\"ID\":\"\",\"Name\":\"node1-write\",\"Description\":\"writes node1\",\"Rules\":\"node \\\"node1\\\" { policy = \\\"write\\\" }\"," +
                "\"Datacenters\":[\"dc1\",\"dc2\"],\"Hash\":null,\"CreateIndex\":0,\"ModifyIndex\":0}\n",
                Server.Single("PUT", "/v1/acl/policy").BodyText);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Create_reads_rules_from_stdin_and_requires_a_name()
    {
        Server.On("PUT /v1/acl/policy", FakeResponse.Json(Policy));

        var ok = await RunWith(new(), "key_prefix \"\" { policy = \"read\" }", "acl", "policy", "create", "-name", "p", "-rules", "-");
        var noName = await Run("acl", "policy", "create", "-rules", "x");
        var badFile = await Run("acl", "policy", "create", "-name", "p", "-rules", "@/nonexistent/rules.hcl");

        Assert.Equal(0, ok.Code);
        using var body = JsonDocument.Parse(Server.Single("PUT", "/v1/acl/policy").Body);
        Assert.Equal("key_prefix \"\" { policy = \"read\" }", body.RootElement.GetProperty("Rules").GetString());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("Datacenters").ValueKind);
        Assert.Equal(1, noName.Code);
        Assert.StartsWith("Missing require '-name' flag\nUsage: consul acl policy create -name NAME [options]", noName.Stderr);
        Assert.Equal(new CliResult(1, "", "Error loading rules: Failed to read file: open /nonexistent/rules.hcl: no such file or directory\n"), badFile);
    }

    [Fact(Timeout = 20000)]
    public async Task Read_by_prefix_by_name_and_json()
    {
        Server.On("GET /v1/acl/policies", FakeResponse.Json(PolicyList));
        Server.On($"GET /v1/acl/policy/{PolicyId}", FakeResponse.Json(Policy));
        Server.On("GET /v1/acl/policy/name/node1-write", FakeResponse.Json(Policy));

        var byId = await Run("acl", "policy", "read", "-id", "165d4317", "-meta");
        var byName = await Run("acl", "policy", "read", "-name", "node1-write", "-format=json");

        Assert.Equal(0, byId.Code);
        Assert.Equal($"""
            ID:           {PolicyId}
            Name:         node1-write
            Description:  writes node1
            Datacenters:  dc1, dc2
            Hash:         010203
            Create Index: 10
            Modify Index: 11
            Rules:
            node "node1" {"{"}
              policy = "write"
            {"}"}

            """, byId.Stdout);
        Assert.Equal($$"""
            {
                "ID": "{{PolicyId}}",
                "Name": "node1-write",
                "Description": "writes node1",
                "Rules": "node \"node1\" {\n  policy = \"write\"\n}",
                "Datacenters": [
                    "dc1",
                    "dc2"
                ],
                "Hash": "AQID",
                "CreateIndex": 10,
                "ModifyIndex": 11
            }

            """, byName.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Read_failures()
    {
        Server.On("GET /v1/acl/policy/name/missing", FakeResponse.Text(404, "not found"));
        Server.On("GET /v1/acl/policy/name/denied", FakeResponse.Text(403, "ACL not found"));

        var none = await Run("acl", "policy", "read");
        var missing = await Run("acl", "policy", "read", "-name", "missing");
        var denied = await Run("acl", "policy", "read", "-name", "denied");
        var global = await Run("acl", "policy", "read", "-id", "global-management");

        Assert.Equal(new CliResult(1, "", "Must specify either the -id or -name parameters\n"), none);
        Assert.Equal(new CliResult(1, "", "Error policy not found: missing\n"), missing);
        Assert.Equal(new CliResult(1, "", "Error reading policy \"name:denied\": Failed to find policy with name denied: Unexpected response code: 403 (ACL not found)\n"), denied);
        // The builtin name maps to its fixed ID without a listing.
        Assert.Equal(1, global.Code);
        Assert.Single(Server.Requests, q => q.Path == "/v1/acl/policy/00000000-0000-0000-0000-000000000001");
    }

    [Fact(Timeout = 20000)]
    public async Task Update_merges_only_the_flags_given()
    {
        Server.On("GET /v1/acl/policy/name/node1-write", FakeResponse.Json(Policy));
        Server.On($"GET /v1/acl/policy/{PolicyId}", FakeResponse.Json(Policy));
        Server.On($"PUT /v1/acl/policy/{PolicyId}", FakeResponse.Json(Policy));

        var r = await Run("acl", "policy", "update", "-name", "node1-write", "-description", "");

        Assert.Equal(new CliResult(0, PolicyPretty, ""), r);
        Assert.Equal(
            $"{{\"ID\":\"{PolicyId}\",\"Name\":\"node1-write\",\"Description\":\"\",\"Rules\":\"node \\\"node1\\\" {{\\n  policy = \\\"write\\\"\\n}}\"," +
            "\"Datacenters\":[\"dc1\",\"dc2\"],\"Hash\":null,\"CreateIndex\":0,\"ModifyIndex\":0}\n",
            Server.Single("PUT", $"/v1/acl/policy/{PolicyId}").BodyText);
    }

    [Fact(Timeout = 20000)]
    public async Task Update_no_merge_replaces_everything()
    {
        Server.On($"PUT /v1/acl/policy/{PolicyId}", FakeResponse.Json(Policy));

        var r = await Run("acl", "policy", "update", "-id", PolicyId, "-no-merge", "-name", "renamed", "-rules", "acl = \"read\"");

        Assert.Equal(0, r.Code);
        Assert.DoesNotContain(Server.Requests, q => q.Method == "GET");
        using var body = JsonDocument.Parse(Server.Single("PUT", $"/v1/acl/policy/{PolicyId}").Body);
        Assert.Equal("renamed", body.RootElement.GetProperty("Name").GetString());
        Assert.Equal("", body.RootElement.GetProperty("Description").GetString());
        Assert.Equal("acl = \"read\"", body.RootElement.GetProperty("Rules").GetString());
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_by_name_and_by_prefix()
    {
        Server.On("GET /v1/acl/policy/name/node1-write", FakeResponse.Json(Policy));
        Server.On("GET /v1/acl/policies", FakeResponse.Json(PolicyList));
        Server.On($"DELETE /v1/acl/policy/{PolicyId}", FakeResponse.Json("true"));

        var byName = await Run("acl", "policy", "delete", "-name", "node1-write");
        var byPrefix = await Run("acl", "policy", "delete", "-id", "0000");

        Assert.Equal(new CliResult(0, $"Policy \"{PolicyId}\" deleted successfully\n", ""), byName);
        Assert.Equal(new CliResult(1, "", "Error deleting policy \"00000000-0000-0000-0000-000000000001\": Unexpected response code: 404 (fake agent: no route)\n"), byPrefix);
    }

    [Fact(Timeout = 20000)]
    public async Task List_pretty_and_json_drop_rules()
    {
        Server.On("GET /v1/acl/policies", FakeResponse.Json(PolicyList));

        var pretty = await Run("acl", "policy", "list");
        var json = await Run("acl", "policy", "list", "-format", "json");

        Assert.Equal($"""
            node1-write:
               ID:           {PolicyId}
               Description:  writes node1
               Datacenters:  
            global-management:
               ID:           00000000-0000-0000-0000-000000000001
               Description:  Builtin Policy that grants unlimited access
               Datacenters:  


            """, pretty.Stdout);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["ID", "Name", "Description", "Datacenters", "Hash", "CreateIndex", "ModifyIndex"],
            doc.RootElement[0].EnumerateObject().Select(p => p.Name));
    }
}

public sealed class AclRoleCommandTests : CliTestBase
{
    private const string RolePretty = $"""
        ID:           {RoleId}
        Name:         db
        Description:  database role
        Policies:
           {PolicyId} - node1-write
        Service Identities:
           db (Datacenters: east, west)
        Node Identities:
           n1 (Datacenter: dc1)


        """;

    [Fact(Timeout = 20000)]
    public async Task Create_sends_links_and_identities()
    {
        Server.On("PUT /v1/acl/role", FakeResponse.Json(Role));

        var r = await Run("acl", "role", "create", "-name", "db", "-description", "database role", "-policy-id", PolicyId,
            "-service-identity", "db:east,west", "-node-identity", "n1:dc1");

        Assert.Equal(new CliResult(0, RolePretty, ""), r);
        Assert.Equal(
            $"{{\"ID\":\"\",\"Name\":\"db\",\"Description\":\"database role\",\"Policies\":[{{\"ID\":\"{PolicyId}\",\"Name\":\"\"}}]," +
            "\"ServiceIdentities\":[{\"ServiceName\":\"db\",\"Datacenters\":[\"east\",\"west\"]}]," +
            "\"NodeIdentities\":[{\"NodeName\":\"n1\",\"Datacenter\":\"dc1\"}],\"Hash\":null,\"CreateIndex\":0,\"ModifyIndex\":0}\n",
            Server.Single("PUT", "/v1/acl/role").BodyText);
    }

    [Fact(Timeout = 20000)]
    public async Task Create_requires_a_name_and_a_link()
    {
        var noLinks = await Run("acl", "role", "create", "-name", "db");

        Assert.Equal(new CliResult(1, "", "Cannot create a role without specifying -policy-name, -policy-id, -service-identity, or -node-identity at least once\n"), noLinks);
        Assert.Empty(Server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Read_by_prefix_and_by_name_with_not_found()
    {
        Server.On("GET /v1/acl/roles", FakeResponse.Json(RoleList));
        Server.On($"GET /v1/acl/role/{RoleId}", FakeResponse.Json(Role));
        Server.On("GET /v1/acl/role/name/ghost", FakeResponse.Text(404, ""));

        var byPrefix = await Run("acl", "role", "read", "-id", "aa77");
        var ghost = await Run("acl", "role", "read", "-name", "ghost");

        Assert.Equal(new CliResult(0, RolePretty, ""), byPrefix);
        Assert.Equal(new CliResult(1, "", "Role not found with name \"ghost\"\n"), ghost);
    }

    [Fact(Timeout = 20000)]
    public async Task Update_merges_into_the_current_role()
    {
        Server.On("GET /v1/acl/roles", FakeResponse.Json(RoleList));
        Server.On($"GET /v1/acl/role/{RoleId}", FakeResponse.Json(Role));
        Server.On($"PUT /v1/acl/role/{RoleId}", FakeResponse.Json(Role));

        var r = await Run("acl", "role", "update", "-id", "aa", "-policy-name", "extra", "-service-identity", "db", "-node-identity", "n2:dc1");

        Assert.Equal(0, r.Code);
        using var body = JsonDocument.Parse(Server.Single("PUT", $"/v1/acl/role/{RoleId}").Body);
        var root = body.RootElement;
        Assert.Equal("database role", root.GetProperty("Description").GetString());
        Assert.Equal($$"""[{"ID":"{{PolicyId}}","Name":"node1-write"},{"ID":"","Name":"extra"}]""", root.GetProperty("Policies").GetRawText());
        Assert.Equal("""[{"ServiceName":"db"}]""", root.GetProperty("ServiceIdentities").GetRawText());
        Assert.Equal("""[{"NodeName":"n1","Datacenter":"dc1"},{"NodeName":"n2","Datacenter":"dc1"}]""", root.GetProperty("NodeIdentities").GetRawText());
    }

    [Fact(Timeout = 20000)]
    public async Task Update_of_a_missing_role_fails()
    {
        Server.On($"GET /v1/acl/role/{RoleId}", FakeResponse.Text(404, ""));

        var r = await Run("acl", "role", "update", "-id", RoleId, "-name", "x");
        var noId = await Run("acl", "role", "update", "-name", "x");

        Assert.Equal(new CliResult(1, "", $"Role not found with ID \"{RoleId}\"\n"), r);
        Assert.Equal(new CliResult(1, "", "Cannot update a role without specifying the -id parameter\n"), noId);
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_by_name_uses_the_role_list()
    {
        Server.On("GET /v1/acl/roles", FakeResponse.Json(RoleList));
        Server.On($"DELETE /v1/acl/role/{RoleId}", FakeResponse.Json("true"));

        var ok = await Run("acl", "role", "delete", "-name", "db");
        var missing = await Run("acl", "role", "delete", "-name", "nope");

        Assert.Equal(new CliResult(0, $"Role \"{RoleId}\" deleted successfully\n", ""), ok);
        Assert.Equal(new CliResult(1, "", "Error determining role ID: No such role with name nope\n"), missing);
    }

    [Fact(Timeout = 20000)]
    public async Task List_pretty_indents_entries()
    {
        Server.On("GET /v1/acl/roles", FakeResponse.Json(RoleList));

        var r = await Run("acl", "role", "list", "-meta");

        Assert.Equal($"""
            db:
               ID:           {RoleId}
               Description:  database role
               Hash:         010203
               Create Index: 20
               Modify Index: 21
               Policies:
                  {PolicyId} - node1-write
               Service Identities:
                  db (Datacenters: east, west)
               Node Identities:
                  n1 (Datacenter: dc1)


            """, r.Stdout);
    }
}
