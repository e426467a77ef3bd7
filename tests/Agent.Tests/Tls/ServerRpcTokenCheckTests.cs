using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Tls;
using Consul.Core.Acl;
using Consul.Core.Rpc;
using Consul.Core.State;
using Consul.Tests.Http;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Tests.Tls;

/// <summary>
/// The server RPC token gate: with ACLs on and default_policy deny, Apply/Subscribe/RenewSession
/// need the caller's agent token ("x-consul-token") to resolve to a real token.
/// </summary>
public sealed class ServerRpcTokenCheckTests
{
    private static AgentConfig AclConfig(string defaultPolicy) => AgentTestHost.DefaultConfig() with
    {
        Acl = new AclConfig { Enabled = true, DefaultPolicy = defaultPolicy, Tokens = new AclTokensConfig { InitialManagement = "root" } },
    };

    private static async Task<AgentTestHost> StartWithTokensAsync(AgentConfig config)
    {
        var host = await AgentTestHost.StartAsync(config);
        var store = host.Service<StateStore>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId) && store.Current.AclSecrets.ContainsKey("root")))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the initial ACL tokens were not written");
            await Task.Delay(20);
        }
        return host;
    }

    private static Task<byte[]> Call(ServerRpcTokenCheck check, string method, string? token, byte[]? request = null)
    {
        var headers = new Metadata();
        if (token is not null) headers.Add(ServerRpcClient.TokenHeader, token);
        return check.UnaryServerHandler<byte[], byte[]>(request ?? [], new FakeCallContext($"/{ServerRpcMethods.ServiceName}/{method}", headers),
            (_, _) => Task.FromResult(new byte[] { 42 }));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_acl_bootstrap_passes_without_a_token_and_an_accepted_token_is_passed_on()
    {
        await using var host = await StartWithTokensAsync(AclConfig("deny"));
        var check = new ServerRpcTokenCheck(host.Service<AclGate>(), host.Config, NullLoggerFactory.Instance);
        var bootstrap = RpcFrames.EncodeApply(CommandCodec.Encode(new AclCommand { Verb = AclCommand.Bootstrap, Token = new AclToken { AccessorID = "a", SecretID = "s" } }), forwarded: true);
        Assert.Equal([42], await Call(check, "Apply", null, bootstrap));
        var write = RpcFrames.EncodeApply(CommandCodec.Encode(new KVCommand { Key = "k" }), forwarded: true);
        await Assert.ThrowsAsync<RpcException>(() => Call(check, "Apply", null, write));

        // A follower re-forwarding the call sends the caller's token, not its own.
        string? seen = null;
        await check.UnaryServerHandler<byte[], byte[]>(write, new FakeCallContext($"/{ServerRpcMethods.ServiceName}/Apply", new Metadata { { ServerRpcClient.TokenHeader, "root" } }),
            (_, _) => { seen = RpcCallerToken.Current; return Task.FromResult(new byte[] { 42 }); });
        Assert.Equal("root", seen);
    }

    [Fact(Timeout = 30_000)]
    public async Task Deny_policy_refuses_callers_without_a_valid_token()
    {
        await using var host = await StartWithTokensAsync(AclConfig("deny"));
        var check = new ServerRpcTokenCheck(host.Service<AclGate>(), host.Config, NullLoggerFactory.Instance);

        Assert.Equal([42], await Call(check, "Apply", "root"));
        Assert.Equal([42], await Call(check, "RenewSession", "root"));

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Call(check, "Apply", "not-a-token"));
        Assert.Equal((StatusCode.PermissionDenied, "ACL not found"), (unknown.StatusCode, unknown.Status.Detail));

        var none = await Assert.ThrowsAsync<RpcException>(() => Call(check, "RenewSession", null));
        Assert.Equal(StatusCode.PermissionDenied, none.StatusCode);
        Assert.StartsWith("Permission denied: anonymous token lacks permission 'node:write'", none.Status.Detail);

        // Methods outside the gate (leader lookups, bootstrap checks) stay open.
        Assert.Equal([42], await Call(check, "RaftLastIndex", null));
    }

    [Fact(Timeout = 30_000)]
    public async Task Allow_policy_and_disabled_acls_let_every_caller_through()
    {
        await using var host = await StartWithTokensAsync(AclConfig("allow"));
        var check = new ServerRpcTokenCheck(host.Service<AclGate>(), host.Config, NullLoggerFactory.Instance);
        Assert.Equal([42], await Call(check, "Apply", null));

        await using var open = await AgentTestHost.StartAsync();
        var openCheck = new ServerRpcTokenCheck(open.Service<AclGate>(), open.Config, NullLoggerFactory.Instance);
        Assert.Equal([42], await Call(openCheck, "Apply", "whatever"));
    }

    [Fact]
    public void Client_sends_the_agent_token_read_at_call_time()
    {
        var tokens = new AgentTokens(new AclTokensConfig { Default = "default-secret" });
        var client = new ServerRpcClient { Token = () => tokens.Agent };
        Assert.Equal("default-secret", client.Token!());
        tokens.Set(AgentTokens.AgentKind, "agent-secret");
        Assert.Equal("agent-secret", client.Token!());
    }

    private sealed class FakeCallContext(string method, Metadata headers) : ServerCallContext
    {
        protected override string MethodCore => method;
        protected override string HostCore => "127.0.0.1:8300";
        protected override string PeerCore => "ipv4:127.0.0.9:5555";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore => headers;
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore { get; } = [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, new Dictionary<string, List<AuthProperty>>());
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
