namespace Consul.Core.Acl;

/// <summary>
/// A thread-safe in-memory <see cref="IAclStore"/> with writes stamped by a caller-given
/// index (a Raft index in the server), keeping CreateIndex and bumping ModifyIndex.
/// </summary>
public sealed class InMemoryAclStore : IAclStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AclToken> _tokensByAccessor = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _accessorBySecret = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AclPolicy> _policies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AclRole> _roles = new(StringComparer.Ordinal);

    /// <summary>Writes the builtin policies and the anonymous token, as the leader does when ACLs start.</summary>
    public void SeedBuiltins(ulong index, DateTimeOffset now)
    {
        foreach (var p in AclBuiltins.BuiltinPolicies) UpsertPolicy(p, index);
        UpsertToken(AclBuiltins.AnonymousToken(now), index);
    }

    public AclToken UpsertToken(AclToken token, ulong index)
    {
        lock (_gate)
        {
            ulong created = _tokensByAccessor.TryGetValue(token.AccessorID, out var old) ? old.CreateIndex : index;
            if (old is not null) _accessorBySecret.Remove(old.SecretID);
            var stored = token with { CreateIndex = created, ModifyIndex = index };
            _tokensByAccessor[token.AccessorID] = stored;
            _accessorBySecret[token.SecretID] = token.AccessorID;
            return stored;
        }
    }

    public bool DeleteToken(string accessorId)
    {
        lock (_gate)
        {
            if (!_tokensByAccessor.Remove(accessorId, out var old)) return false;
            _accessorBySecret.Remove(old.SecretID);
            return true;
        }
    }

    public AclPolicy UpsertPolicy(AclPolicy policy, ulong index)
    {
        lock (_gate)
        {
            ulong created = _policies.TryGetValue(policy.ID, out var old) ? old.CreateIndex : index;
            var stored = policy with { CreateIndex = created, ModifyIndex = index };
            _policies[policy.ID] = stored;
            return stored;
        }
    }

    public bool DeletePolicy(string id)
    {
        lock (_gate) return _policies.Remove(id);
    }

    public AclRole UpsertRole(AclRole role, ulong index)
    {
        lock (_gate)
        {
            ulong created = _roles.TryGetValue(role.ID, out var old) ? old.CreateIndex : index;
            var stored = role with { CreateIndex = created, ModifyIndex = index };
            _roles[role.ID] = stored;
            return stored;
        }
    }

    public bool DeleteRole(string id)
    {
        lock (_gate) return _roles.Remove(id);
    }

    public AclToken? TokenBySecret(string secretId)
    {
        lock (_gate)
            return _accessorBySecret.TryGetValue(secretId, out var accessor) ? _tokensByAccessor[accessor] : null;
    }

    public AclToken? TokenByAccessor(string accessorId)
    {
        lock (_gate) return _tokensByAccessor.GetValueOrDefault(accessorId);
    }

    public AclPolicy? PolicyById(string id)
    {
        lock (_gate) return _policies.GetValueOrDefault(id);
    }

    public AclPolicy? PolicyByName(string name)
    {
        lock (_gate) return _policies.Values.FirstOrDefault(p => p.Name == name);
    }

    public AclRole? RoleById(string id)
    {
        lock (_gate) return _roles.GetValueOrDefault(id);
    }

    public AclRole? RoleByName(string name)
    {
        lock (_gate) return _roles.Values.FirstOrDefault(r => r.Name == name);
    }

    public IReadOnlyList<AclToken> Tokens()
    {
        lock (_gate) return _tokensByAccessor.Values.OrderBy(t => t.AccessorID, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<AclPolicy> Policies()
    {
        lock (_gate) return _policies.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<AclRole> Roles()
    {
        lock (_gate) return _roles.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
    }
}
