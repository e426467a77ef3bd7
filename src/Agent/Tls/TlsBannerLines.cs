using Consul.Agent.Config;

namespace Consul.Agent.Tls;

/// <summary>The three TLS lines of Consul's start-up banner, from the agent's tls{} settings.</summary>
public static class TlsBannerLines
{
    private static string B(bool b) => b ? "true" : "false";

    // Consul's default minimum is TLS 1.2; "TLS_AUTO" (unset) prints as that.
    private static string Min(string v) => v is "" or "TLS_AUTO" ? "TLSv1_2" : v;

    public static string Https(AgentConfig c) =>
        $"Verify Incoming: {B(c.Tls.Https.VerifyIncoming)}, Verify Outgoing: {B(c.Tls.Https.VerifyOutgoing)}, Min Version: {Min(c.Tls.Https.TlsMinVersion)}";

    public static string Grpc(AgentConfig c) =>
        $"Verify Incoming: {B(c.Tls.Grpc.VerifyIncoming)}, Min Version: {Min(c.Tls.Grpc.TlsMinVersion)}";

    public static string InternalRpc(AgentConfig c) =>
        $"Verify Incoming: {B(c.Tls.InternalRpc.VerifyIncoming)}, Verify Outgoing: {B(c.Tls.InternalRpc.VerifyOutgoing)} " +
        $"(Verify Hostname: {B(c.Tls.VerifyServerHostname)}), Min Version: {Min(c.Tls.InternalRpc.TlsMinVersion)}";
}
