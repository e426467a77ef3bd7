using Consul.Core.Acl;

namespace Consul.Core.State;

/// <summary>
/// ACL token, policy and role writes and the one-time bootstrap, with the uniqueness rules and
/// messages of Consul's state store (state/acl.go). Links are stored as given (IDs); names in
/// links are filled in when read, so renaming a policy never rewrites tokens.
/// </summary>
internal static class AclWrites
{
    public const string BootstrapNotAllowed = "ACL bootstrap no longer allowed";
    public const string InvalidResetIndex = "Invalid ACL bootstrap reset index";

    /// <summary>Applies the command; the answer is just true (results cross the server RPC, which carries
    /// plain values) — writers read what was stored from the state afterwards.</summary>
    public static object? Apply(StateTxn txn, AclCommand c)
    {
        _ = c.Verb switch
        {
            AclCommand.TokenSet => SetToken(txn, Required(c.Token, "token"), c.CreateOnly),
            AclCommand.TokenDelete => DeleteToken(txn, c.ID ?? ""),
            AclCommand.PolicySet => SetPolicy(txn, Required(c.Policy, "policy"), c.CreateOnly),
            AclCommand.PolicyDelete => DeletePolicy(txn, c.ID ?? ""),
            AclCommand.RoleSet => SetRole(txn, Required(c.Role, "role"), c.CreateOnly),
            AclCommand.RoleDelete => DeleteRole(txn, c.ID ?? ""),
            AclCommand.Bootstrap => Bootstrap(txn, Required(c.Token, "token"), c.ResetIndex),
            _ => throw new StateException($"Invalid ACL operation \"{c.Verb}\""),
        };
        return true;
    }

    private static T Required<T>(T? value, string what) where T : class =>
        value ?? throw new StateException($"Missing {what} in ACL request");

    private static AclToken Bootstrap(StateTxn txn, AclToken token, ulong resetIndex)
    {
        var done = txn.Snap.AclBootstrapIndex;
        if (done != 0)
        {
            if (resetIndex == 0) throw new StateException(BootstrapNotAllowed);
            if (resetIndex != done) throw new StateException(InvalidResetIndex);
        }
        var stored = SetToken(txn, token, createOnly: true);
        txn.Update(s => s with { AclBootstrapIndex = txn.Index }, Tables.AclTokens);
        return stored;
    }

    private static AclToken SetToken(StateTxn txn, AclToken token, bool createOnly)
    {
        if (string.IsNullOrEmpty(token.AccessorID)) throw new StateException("Missing token AccessorID");
        if (string.IsNullOrEmpty(token.SecretID)) throw new StateException("Missing token SecretID");
        var snap = txn.Snap;
        snap.AclTokens.TryGetValue(token.AccessorID, out var existing);
        if (existing is not null && createOnly) throw new StateException("Invalid Token: AccessorID is already in use");
        if (snap.AclSecrets.TryGetValue(token.SecretID, out var owner) && owner != token.AccessorID)
            throw new StateException("Invalid Token: SecretID is already in use");
        if (existing is not null && existing.SecretID != token.SecretID)
            throw new StateException("Changing a token's SecretID is not permitted");

        var stored = token with
        {
            CreateIndex = existing?.CreateIndex ?? txn.Index,
            ModifyIndex = txn.Index,
            // Links are kept by ID only; readers fill in current names.
            Policies = token.Policies?.Select(p => p with { Name = "" }).ToList(),
            Roles = token.Roles?.Select(r => r with { Name = "" }).ToList(),
        };
        txn.Update(s => s with
        {
            AclTokens = s.AclTokens.SetItem(stored.AccessorID, stored),
            AclSecrets = s.AclSecrets.SetItem(stored.SecretID, stored.AccessorID),
        }, Tables.AclTokens);
        return stored;
    }

    private static object DeleteToken(StateTxn txn, string accessorId)
    {
        if (accessorId == AclBuiltins.AnonymousTokenId)
            throw new StateException("Deletion of the builtin anonymous token is not permitted");
        if (!txn.Snap.AclTokens.TryGetValue(accessorId, out var token)) return true;
        txn.Update(s => s with
        {
            AclTokens = s.AclTokens.Remove(accessorId),
            AclSecrets = s.AclSecrets.Remove(token.SecretID),
        }, Tables.AclTokens);
        return true;
    }

    private static AclPolicy SetPolicy(StateTxn txn, AclPolicy policy, bool createOnly)
    {
        if (string.IsNullOrEmpty(policy.ID)) throw new StateException("Missing policy ID");
        if (string.IsNullOrEmpty(policy.Name)) throw new StateException("Missing policy Name");
        var snap = txn.Snap;
        snap.AclPolicies.TryGetValue(policy.ID, out var existing);
        if (existing is not null && createOnly) throw new StateException("Invalid Policy: ID is already in use");
        if (snap.AclPolicies.Values.Any(p => p.ID != policy.ID && p.Name == policy.Name))
            throw new StateException($"Invalid Policy: A Policy with Name \"{policy.Name}\" already exists");
        if (policy.ID == AclBuiltins.GlobalManagementPolicyId && existing is not null && policy.Rules != existing.Rules)
            throw new StateException("Changing the Rules for the builtin global-management policy is not permitted");

        var stored = policy with { CreateIndex = existing?.CreateIndex ?? txn.Index, ModifyIndex = txn.Index };
        txn.Update(s => s with { AclPolicies = s.AclPolicies.SetItem(stored.ID, stored) }, Tables.AclPolicies);
        return stored;
    }

    private static object DeletePolicy(StateTxn txn, string id)
    {
        if (id == AclBuiltins.GlobalManagementPolicyId)
            throw new StateException("Deletion of the builtin global-management policy is not permitted");
        if (!txn.Snap.AclPolicies.ContainsKey(id)) return true;
        txn.Update(s => s with { AclPolicies = s.AclPolicies.Remove(id) }, Tables.AclPolicies);
        return true;
    }

    private static AclRole SetRole(StateTxn txn, AclRole role, bool createOnly)
    {
        if (string.IsNullOrEmpty(role.ID)) throw new StateException("Missing role ID");
        if (string.IsNullOrEmpty(role.Name)) throw new StateException("Missing role Name");
        var snap = txn.Snap;
        snap.AclRoles.TryGetValue(role.ID, out var existing);
        if (existing is not null && createOnly) throw new StateException("Invalid Role: ID is already in use");
        if (snap.AclRoles.Values.Any(r => r.ID != role.ID && r.Name == role.Name))
            throw new StateException($"Invalid Role: A Role with Name \"{role.Name}\" already exists");

        var stored = role with
        {
            CreateIndex = existing?.CreateIndex ?? txn.Index,
            ModifyIndex = txn.Index,
            Policies = role.Policies?.Select(p => p with { Name = "" }).ToList(),
        };
        txn.Update(s => s with { AclRoles = s.AclRoles.SetItem(stored.ID, stored) }, Tables.AclRoles);
        return stored;
    }

    private static object DeleteRole(StateTxn txn, string id)
    {
        if (!txn.Snap.AclRoles.ContainsKey(id)) return true;
        txn.Update(s => s with { AclRoles = s.AclRoles.Remove(id) }, Tables.AclRoles);
        return true;
    }
}
