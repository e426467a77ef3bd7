using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Tests.State;

public sealed class AclStateTests
{
    private static AclPolicy Policy(string id, string name, string rules = "key_prefix \"\" { policy = \"read\" }") =>
        new() { ID = id, Name = name, Rules = rules };

    private static AclToken Token(string accessor, string secret, params string[] policyIds) => new()
    {
        AccessorID = accessor,
        SecretID = secret,
        Policies = policyIds.Select(id => new AclTokenPolicyLink { ID = id }).ToList(),
    };

    [Fact]
    public void TokenSet_StampsIndexes_AndIsFoundBySecret()
    {
        var f = new StateFixture();
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = Policy("p1", "readers") }));
        var r = StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a1", "s1", "p1") }));
        // A plain value: results of forwarded writes cross the server RPC.
        Assert.Equal(true, r.Value);

        var byAccessor = AclReads.TokenByAccessor(f.Snap, "a1")!;
        Assert.Equal(r.Index, byAccessor.CreateIndex);
        Assert.Equal(r.Index, byAccessor.ModifyIndex);
        Assert.Equal("readers", Assert.Single(byAccessor.Policies!).Name);
        Assert.Equal("a1", AclReads.TokenBySecret(f.Snap, "s1")!.AccessorID);
        Assert.Equal(r.Index, f.Snap.TableIndex(Tables.AclTokens));
    }

    [Fact]
    public void TokenUpdate_KeepsCreateIndex_AndRefusesAnotherTokensSecret()
    {
        var f = new StateFixture();
        var first = StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a1", "s1") }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a2", "s2") }));
        var update = StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a1", "s1") with { Description = "x" } }));
        var stored = f.Snap.AclTokens["a1"];
        Assert.Equal(first.Index, stored.CreateIndex);
        Assert.Equal(update.Index, stored.ModifyIndex);

        var clash = f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a3", "s1") });
        Assert.Equal("Invalid Token: SecretID is already in use", clash.Error);
        var create = f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a2", "s2"), CreateOnly = true });
        Assert.Equal("Invalid Token: AccessorID is already in use", create.Error);
    }

    [Fact]
    public void DeletedPolicy_DropsOutOfTokenLinks_AndBuiltinsAreProtected()
    {
        var f = new StateFixture();
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = AclBuiltins.GlobalManagementPolicy }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = Policy("p1", "one") }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.TokenSet, Token = Token("a1", "s1", "p1") }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.PolicyDelete, ID = "p1" }));
        Assert.Empty(AclReads.TokenByAccessor(f.Snap, "a1")!.Policies!);

        var builtin = f.Apply(new AclCommand { Verb = AclCommand.PolicyDelete, ID = AclBuiltins.GlobalManagementPolicyId });
        Assert.Equal("Deletion of the builtin global-management policy is not permitted", builtin.Error);
        var dup = f.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = Policy("p2", "global-management") });
        Assert.Equal("Invalid Policy: A Policy with Name \"global-management\" already exists", dup.Error);
    }

    [Fact]
    public void Bootstrap_OnlyOnce_UnlessTheResetIndexMatches()
    {
        var f = new StateFixture();
        var boot = StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.Bootstrap, Token = Token("a1", "s1") }));
        Assert.Equal(boot.Index, f.Snap.AclBootstrapIndex);

        Assert.Equal(AclWritesMessages.NotAllowed, f.Apply(new AclCommand { Verb = AclCommand.Bootstrap, Token = Token("a2", "s2") }).Error);
        Assert.Equal(AclWritesMessages.InvalidReset,
            f.Apply(new AclCommand { Verb = AclCommand.Bootstrap, Token = Token("a2", "s2"), ResetIndex = boot.Index + 100 }).Error);
        var again = StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.Bootstrap, Token = Token("a2", "s2"), ResetIndex = boot.Index }));
        Assert.Equal(again.Index, f.Snap.AclBootstrapIndex);
    }

    [Fact]
    public void AclTables_SurviveTheSnapshotCodec()
    {
        var f = new StateFixture();
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.PolicySet, Policy = Policy("p1", "one") }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.Bootstrap, Token = Token("a1", "s1", "p1") }));
        StateFixture.Ok(f.Apply(new AclCommand { Verb = AclCommand.RoleSet, Role = new AclRole { ID = "r1", Name = "role", Policies = [new AclRolePolicyLink { ID = "p1" }] } }));

        var copy = StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(f.Snap));
        Assert.Equal("a1", AclReads.TokenBySecret(copy, "s1")!.AccessorID);
        Assert.Equal(f.Snap.AclBootstrapIndex, copy.AclBootstrapIndex);
        Assert.Equal("one", AclReads.RoleByName(copy, "role")!.Policies![0].Name);
        Assert.Equal(StateSnapshotCodec.ToBytes(f.Snap), StateSnapshotCodec.ToBytes(copy));
    }
}

/// <summary>The state machine's bootstrap refusals, as Consul's state store words them.</summary>
internal static class AclWritesMessages
{
    public const string NotAllowed = "ACL bootstrap no longer allowed";
    public const string InvalidReset = "Invalid ACL bootstrap reset index";
}
