namespace Consul.Core.Acl;

/// <summary>Consul's reserved ACL objects: builtin policies, the anonymous token, bootstrap tokens, identity templates.</summary>
public static class AclBuiltins
{
    public const string GlobalManagementPolicyId = "00000000-0000-0000-0000-000000000001";
    public const string GlobalManagementPolicyName = "global-management";
    public const string GlobalManagementPolicyDescription = "Builtin Policy that grants unlimited access";

    public const string GlobalManagementPolicyRules = """

        acl = "write"
        agent_prefix "" {
        	policy = "write"
        }
        event_prefix "" {
        	policy = "write"
        }
        key_prefix "" {
        	policy = "write"
        }
        keyring = "write"
        node_prefix "" {
        	policy = "write"
        }
        operator = "write"
        mesh = "write"
        peering = "write"
        query_prefix "" {
        	policy = "write"
        }
        service_prefix "" {
        	policy = "write"
        	intentions = "write"
        }
        session_prefix "" {
        	policy = "write"
        }
        """;

    public const string GlobalReadOnlyPolicyId = "00000000-0000-0000-0000-000000000002";
    public const string GlobalReadOnlyPolicyName = "builtin/global-read-only";
    public const string GlobalReadOnlyPolicyDescription = "Builtin Policy that grants unlimited read-only access to all components";

    public const string GlobalReadOnlyPolicyRules = """

        acl = "read"
        agent_prefix "" {
        	policy = "read"
        }
        event_prefix "" {
        	policy = "read"
        }
        key_prefix "" {
        	policy = "read"
        }
        keyring = "read"
        node_prefix "" {
        	policy = "read"
        }
        operator = "read"
        mesh = "read"
        peering = "read"
        query_prefix "" {
        	policy = "read"
        }
        service_prefix "" {
        	policy = "read"
        	intentions = "read"
        }
        session_prefix "" {
        	policy = "read"
        }
        """;

    /// <summary>IDs whose first 120 bits are zero are reserved for builtins.</summary>
    public const string ReservedIdPrefix = "00000000-0000-0000-0000-0000000000";

    public const string AnonymousTokenId = "00000000-0000-0000-0000-000000000002";
    public const string AnonymousTokenSecret = "anonymous";
    public const string AnonymousTokenDescription = "Anonymous Token";
    public const string BootstrapTokenDescription = "Bootstrap Token (Global Management)";
    public const string InitialManagementTokenDescription = "Initial Management Token";

    /// <summary>Templated policy builtin/service, used for service identities.</summary>
    public const string ServiceIdentityTemplate = """

        service "{{.Name}}" {
        	policy = "write"
        }
        service "{{.Name}}-sidecar-proxy" {
        	policy = "write"
        }
        service_prefix "" {
        	policy = "read"
        }
        node_prefix "" {
        	policy = "read"
        }
        """;

    /// <summary>Templated policy builtin/node, used for node identities.</summary>
    public const string NodeIdentityTemplate = """

        node "{{.Name}}" {
        	policy = "write"
        }
        service_prefix "" {
        	policy = "read"
        }
        """;

    public static bool IsReservedId(string id) => id.StartsWith(ReservedIdPrefix, StringComparison.Ordinal);

    public static AclPolicy GlobalManagementPolicy { get; } = new AclPolicy
    {
        ID = GlobalManagementPolicyId,
        Name = GlobalManagementPolicyName,
        Description = GlobalManagementPolicyDescription,
        Rules = GlobalManagementPolicyRules,
    }.WithHash();

    public static AclPolicy GlobalReadOnlyPolicy { get; } = new AclPolicy
    {
        ID = GlobalReadOnlyPolicyId,
        Name = GlobalReadOnlyPolicyName,
        Description = GlobalReadOnlyPolicyDescription,
        Rules = GlobalReadOnlyPolicyRules,
    }.WithHash();

    public static IReadOnlyList<AclPolicy> BuiltinPolicies { get; } = [GlobalManagementPolicy, GlobalReadOnlyPolicy];

    /// <summary>The token used when a request carries none; it starts with no policies (the default policy decides).</summary>
    public static AclToken AnonymousToken(DateTimeOffset createTime) => new AclToken
    {
        AccessorID = AnonymousTokenId,
        SecretID = AnonymousTokenSecret,
        Description = AnonymousTokenDescription,
        CreateTime = createTime,
    }.WithHash();

    /// <summary>The token `consul acl bootstrap` creates: global-management, global (not local).</summary>
    public static AclToken BootstrapToken(string accessorId, string secretId, DateTimeOffset createTime) =>
        ManagementToken(accessorId, secretId, BootstrapTokenDescription, createTime);

    /// <summary>The token from acl.tokens.initial_management, created by the leader at start-up.</summary>
    public static AclToken InitialManagementToken(string accessorId, string secretId, DateTimeOffset createTime) =>
        ManagementToken(accessorId, secretId, InitialManagementTokenDescription, createTime);

    private static AclToken ManagementToken(string accessorId, string secretId, string description, DateTimeOffset createTime) =>
        new AclToken
        {
            AccessorID = accessorId,
            SecretID = secretId,
            Description = description,
            Policies = [new AclTokenPolicyLink { ID = GlobalManagementPolicyId, Name = GlobalManagementPolicyName }],
            CreateTime = createTime,
        }.WithHash();
}
