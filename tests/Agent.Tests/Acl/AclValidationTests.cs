using Consul.Core.Acl;

namespace Consul.Tests.Acl;

public class AclValidationTests
{
    [Theory]
    [InlineData("web", true)]
    [InlineData("web-api_2", true)]
    [InlineData("Web", false)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("", false)]
    [InlineData("a.b", false)]
    public void Identity_names(string name, bool valid)
    {
        Assert.Equal(valid, AclValidation.IsValidServiceIdentityName(name));
        Assert.Equal(valid, AclValidation.IsValidNodeIdentityName(name));
    }

    [Fact]
    public void Policy_and_role_names()
    {
        Assert.True(AclValidation.IsValidPolicyName("Node-Read_1"));
        Assert.False(AclValidation.IsValidPolicyName("has space"));
        Assert.False(AclValidation.IsValidPolicyName(new string('a', 129)));
        Assert.True(AclValidation.IsValidRoleName(new string('a', 256)));
        Assert.False(AclValidation.IsValidRoleName(""));
    }

    [Fact]
    public void Identity_checks_give_consuls_messages()
    {
        Assert.Null(AclValidation.CheckIdentities([new AclServiceIdentity { ServiceName = "web" }], [new AclNodeIdentity { NodeName = "n1", Datacenter = "dc1" }], "token"));
        Assert.Equal("Service identity is missing the service name field on this role",
            AclValidation.CheckIdentities([new AclServiceIdentity()], null, "role"));
        Assert.Equal("Service identity \"Web\" has an invalid name. Only lowercase alphanumeric characters, '-' and '_' are allowed",
            AclValidation.CheckIdentities([new AclServiceIdentity { ServiceName = "Web" }], null, "token"));
        Assert.Equal("Service identity \"web\" cannot specify a list of datacenters on a local token",
            AclValidation.CheckIdentities([new AclServiceIdentity { ServiceName = "web", Datacenters = ["dc1"] }], null, "token", localToken: true));
        Assert.Equal("Node identity is missing the datacenter field on this token",
            AclValidation.CheckIdentities(null, [new AclNodeIdentity { NodeName = "n1" }], "token"));
    }

    [Fact]
    public void Deduplicate_merges_service_datacenters()
    {
        var result = AclValidation.Deduplicate([
            new AclServiceIdentity { ServiceName = "web", Datacenters = ["dc2"] },
            new AclServiceIdentity { ServiceName = "web", Datacenters = ["dc1", "dc2"] },
            new AclServiceIdentity { ServiceName = "db" },
        ]);
        Assert.Equal(2, result.Count);
        Assert.Equal(["dc1", "dc2"], result.Single(s => s.ServiceName == "web").Datacenters!);
        Assert.Null(result.Single(s => s.ServiceName == "db").Datacenters);
        Assert.Single(AclValidation.Deduplicate([new AclNodeIdentity { NodeName = "n", Datacenter = "d" }, new AclNodeIdentity { NodeName = "n", Datacenter = "d" }]));
    }
}
