namespace Consul.Tests.Cli.Acl;

/// <summary>Consul-shaped /v1/acl replies used by the ACL CLI tests.</summary>
internal static class AclFixtures
{
    public const string TokenId = "6a1253d2-1785-24fd-91c2-f8e78c745511";
    public const string TokenSecret = "45a3bd52-07c7-47a4-52fd-0745e0cfe967";
    public const string OtherTokenId = "6b000000-0000-4000-8000-000000000001";
    public const string PolicyId = "165d4317-e379-f732-ce70-86278c4558f7";
    public const string RoleId = "aa770e5b-8b0b-7fcf-e5a1-8535fcc388b4";

    public const string Token = $$"""
        {"AccessorID":"{{TokenId}}","SecretID":"{{TokenSecret}}","Description":"Agent token for 'node1'",
         "Policies":[{"ID":"{{PolicyId}}","Name":"node1-write"}],"Local":false,
         "CreateTime":"2026-11-28T13:13:03.5Z","Hash":"AQID","CreateIndex":59,"ModifyIndex":60}
        """;

    public const string TokenPretty = $"""
        AccessorID:       {TokenId}
        SecretID:         {TokenSecret}
        Description:      Agent token for 'node1'
        Local:            false
        Create Time:      2026-11-28 13:13:03.5 +0000 UTC
        Policies:
           {PolicyId} - node1-write


        """;

    public const string TokenList = $$"""
        [{"AccessorID":"{{TokenId}}","SecretID":"{{TokenSecret}}","Description":"first","Local":false,
          "CreateTime":"2026-11-28T13:13:03Z","Hash":"AQID","CreateIndex":5,"ModifyIndex":6},
         {"AccessorID":"{{OtherTokenId}}","SecretID":"s2","Description":"second","Local":true,
          "Roles":[{"ID":"{{RoleId}}","Name":"db"}],"ServiceIdentities":[{"ServiceName":"web"}],
          "CreateTime":"2026-11-28T13:14:00Z","Hash":null,"CreateIndex":7,"ModifyIndex":7}]
        """;

    public const string Policy = $$"""
        {"ID":"{{PolicyId}}","Name":"node1-write","Description":"writes node1","Rules":"node \"node1\" {\n  policy = \"write\"\n}",
         "Datacenters":["dc1","dc2"],"Hash":"AQID","CreateIndex":10,"ModifyIndex":11}
        """;

    public const string PolicyPretty = $"""
        ID:           {PolicyId}
        Name:         node1-write
        Description:  writes node1
        Datacenters:  dc1, dc2
        Rules:
        node "node1" {"{"}
          policy = "write"
        {"}"}

        """;

    public const string PolicyList = $$"""
        [{"ID":"{{PolicyId}}","Name":"node1-write","Description":"writes node1","Datacenters":null,"Hash":"AQID","CreateIndex":10,"ModifyIndex":11},
         {"ID":"00000000-0000-0000-0000-000000000001","Name":"global-management","Description":"Builtin Policy that grants unlimited access","Datacenters":null,"Hash":"BA==","CreateIndex":4,"ModifyIndex":4}]
        """;

    public const string Role = $$"""
        {"ID":"{{RoleId}}","Name":"db","Description":"database role",
         "Policies":[{"ID":"{{PolicyId}}","Name":"node1-write"}],
         "ServiceIdentities":[{"ServiceName":"db","Datacenters":["east","west"]}],
         "NodeIdentities":[{"NodeName":"n1","Datacenter":"dc1"}],
         "Hash":"AQID","CreateIndex":20,"ModifyIndex":21}
        """;

    public const string RoleList = $"[{Role}]";
}
