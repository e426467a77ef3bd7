using Consul.Agent.Config;
using Consul.Core.Cluster;
using Consul.Core.Rpc;

namespace Consul.Agent.Tls;

/// <summary>
/// tls.internal_rpc for the server port (8300) and the agent's connections to it. This port
/// tells Raft's stream from gRPC only after the TLS handshake and cannot also take plain
/// connections the way Consul's RPC port does (by their first byte), so it is TLS-only as soon
/// as the cluster is set up for TLS: a certificate is configured and verify_incoming or
/// verify_outgoing is on (Consul's advice is to set both). Outgoing connections use TLS exactly when verify_outgoing is on.
/// </summary>
public static class RpcTlsSetup
{
    /// <summary>The server port's TLS, or null when it serves plain HTTP/2.</summary>
    /// <exception cref="InvalidOperationException">Bad files or settings, with Consul's text.</exception>
    public static TlsMaterial? ForServerPort(AgentConfig config)
    {
        var rpc = config.Tls.InternalRpc;
        var tls = TlsMaterial.Load(rpc);
        if (!rpc.VerifyIncoming && !rpc.VerifyOutgoing) return null;
        if (tls.Certificate is null)
            throw new InvalidOperationException("tls.internal_rpc: verify_outgoing on a server requires cert_file and key_file, as servers present them to each other");
        return tls;
    }

    /// <summary>The outgoing side (verify_outgoing), or null for plain connections.</summary>
    /// <param name="datacenterOf">The datacenter of a server address, if known (cross-datacenter RPC checks that datacenter's name).</param>
    public static RpcClientTls? ForClients(AgentConfig config, ILoggerFactory logs, Func<string, string?>? datacenterOf = null)
    {
        var rpc = config.Tls.InternalRpc;
        if (!rpc.VerifyOutgoing) return null;
        var tls = TlsMaterial.Load(rpc);
        return new RpcClientTls
        {
            Roots = tls.Roots,
            Certificate = tls.Certificate,
            ServerName = config.Tls.VerifyServerHostname ? ServerName(config) : null,
            ServerNameFor = datacenterOf is null ? null
                : address => datacenterOf(address) is { } dc && dc != config.Datacenter ? ServerName(config, dc) : null,
            Protocols = tls.Protocols,
            CipherSuites = tls.CipherSuites,
            Log = logs.CreateLogger("agent.rpc.tls"),
        };
    }

    /// <summary>The name a server's certificate carries: server.&lt;datacenter&gt;.&lt;domain&gt; (tlsutil ServerSNI).</summary>
    public static string ServerName(AgentConfig config, string? datacenter = null) =>
        $"server.{datacenter ?? config.Datacenter}.{config.Domain.TrimEnd('.')}";

    /// <summary>The server RPC client with TLS (if configured) and the agent token on every call.</summary>
    public static ServerRpcClient CreateClient(AgentConfig config, IServiceProvider services) => new()
    {
        ChannelFactory = ServerRpcClient.Channels(ForClients(config, services.GetRequiredService<ILoggerFactory>(),
            address => services.GetRequiredService<Hosting.Cluster.GossipPools>().WanMembers()
                .Select(ServerParts.Parse).FirstOrDefault(s => s?.RpcAddress == address)?.Datacenter)),
        Token = () => services.GetRequiredService<Acl.AgentTokens>().Agent,
        DefaultQueryTime = config.DefaultQueryTime,
        MaxQueryTime = config.MaxQueryTime,
        // limits.rpc_client_timeout; forwarded blocking reads have their own deadline.
        CallTimeout = config.Limits.RpcClientTimeout > TimeSpan.Zero ? config.Limits.RpcClientTimeout : ServerRpcClient.DefaultCallTimeout,
    };
}
