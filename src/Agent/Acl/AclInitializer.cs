using Consul.Agent.Config;
using Consul.Core.Acl;
using Consul.Core.State;

namespace Consul.Agent.Acl;

/// <summary>
/// What a leader writes when ACLs are enabled (Consul's initializeACLs): the builtin
/// global-management and global-read-only policies, the anonymous token, and the
/// acl.tokens.initial_management token, which also uses up the one-time bootstrap.
/// Writes only what is missing, so every new leader may run it.
/// </summary>
public static class AclInitializer
{
    public static async Task EnsureAsync(AgentConfig config, ICommandLog log, StateStore store, TimeProvider time, CancellationToken ct)
    {
        if (!config.Acl.Enabled) return;
        var now = time.GetUtcNow();
        foreach (var builtin in AclBuiltins.BuiltinPolicies)
        {
            if (store.Current.AclPolicies.ContainsKey(builtin.ID)) continue;
            await ApplyAsync(log, new AclCommand { Verb = AclCommand.PolicySet, Policy = builtin.WithHash() }, ct);
        }
        if (!store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId))
            await ApplyAsync(log, new AclCommand { Verb = AclCommand.TokenSet, Token = AclBuiltins.AnonymousToken(now).WithHash() }, ct);

        var initial = config.Acl.Tokens.InitialManagement;
        if (initial.Length == 0 || store.Current.AclSecrets.ContainsKey(initial)) return;
        var token = AclBuiltins.InitialManagementToken(Guid.NewGuid().ToString(), initial, now).WithHash();
        var verb = store.Current.AclBootstrapIndex == 0 ? AclCommand.Bootstrap : AclCommand.TokenSet;
        await ApplyAsync(log, new AclCommand { Verb = verb, Token = token }, ct);
    }

    private static async Task ApplyAsync(ICommandLog log, AclCommand command, CancellationToken ct)
    {
        var result = await log.ApplyAsync(command, ct);
        if (!result.Ok) throw new InvalidOperationException("ACL initialization failed: " + result.Error);
    }
}
