using Consul.Agent.Config;
using Consul.Agent.Http;

namespace Consul.Agent.Hosting;

/// <summary>The start-up banner `consul agent` prints before the log stream, in Consul's layout.</summary>
public static class Banner
{
    public static string Render(AgentConfig c)
    {
        var lines = new List<(string Key, string Value)>
        {
            ("Version", $"'{AgentVersion.Version}'"),
            ("Build Date", $"'{AgentVersion.BuildDate}'"),
            ("Node ID", $"'{c.NodeId}'"),
            ("Node name", $"'{c.NodeName}'"),
            ("Datacenter", $"'{c.Datacenter}' (Segment: '{(c.Server ? "<all>" : "")}')"),
            ("Server", $"{Bool(c.Server)} (Bootstrap: {Bool(c.Bootstrap)})"),
            ("Client Addr", $"[{string.Join(" ", c.ClientAddrs)}] (HTTP: {c.Ports.Http}, HTTPS: {c.Ports.Https}, gRPC: {c.Ports.Grpc}, gRPC-TLS: -1, DNS: {c.Ports.Dns})"),
            ("Cluster Addr", $"{c.AdvertiseAddr} (LAN: {c.Ports.SerfLan}, WAN: {c.Ports.SerfWan})"),
            ("Gossip Encryption", Bool(!string.IsNullOrEmpty(c.Encrypt))),
            ("Auto-Encrypt-TLS", "false"),
            ("ACL Enabled", Bool(c.Acl.Enabled)),
            ("Reporting Enabled", "false"),
            ("ACL Default Policy", c.Acl.DefaultPolicy),
            ("HTTPS TLS", Tls.TlsBannerLines.Https(c)),
            ("gRPC TLS", Tls.TlsBannerLines.Grpc(c)),
            ("Internal RPC TLS", Tls.TlsBannerLines.InternalRpc(c)),
        };
        var width = lines.Max(l => l.Key.Length) + 4;
        var body = string.Join("\n", lines.Select(l => $"{l.Key.PadLeft(width)}: {l.Value}"));
        return $"==> Starting Consul agent...\n{body}\n\n==> Log data will now stream in as it occurs:\n";
    }

    private static string Bool(bool b) => b ? "true" : "false";
}
