using System.Diagnostics;

namespace Consul.Tests.Dns;

/// <summary>A fact that runs only when /usr/bin/dig is installed (CI installs dnsutils).</summary>
public sealed class DigFactAttribute : FactAttribute
{
    public DigFactAttribute()
    {
        if (!File.Exists("/usr/bin/dig")) Skip = "dig not installed (apt-get install dnsutils)";
    }
}

public class DigTests
{
    private static async Task<string> Dig(int port, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/dig") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "@127.0.0.1", "-p", port.ToString(), "+time=3", "+tries=1" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = await p.StandardOutput.ReadToEndAsync(cts.Token);
        await p.WaitForExitAsync(cts.Token);
        return output;
    }

    [DigFact(Timeout = 60_000)]
    public async Task Dig_ServiceSrvNodeAndPtr()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard());
        var a = await Dig(dns.Port, "web.service.consul", "A", "+short");
        Assert.Equal(["10.0.0.1", "10.1.0.2"], a.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray());

        var srv = await Dig(dns.Port, "web.service.consul", "SRV");
        Assert.Contains("status: NOERROR", srv);
        Assert.Contains("flags: qr aa rd;", srv);
        Assert.Contains("node1.node.dc1.consul.", srv);
        Assert.Contains("0a010002.addr.dc1.consul.", srv);

        var ptr = await Dig(dns.Port, "-x", "10.0.0.1", "+short");
        Assert.Equal("node1.node.dc1.consul.", ptr.Trim());

        var txt = await Dig(dns.Port, "node1.node.consul", "TXT", "+short");
        Assert.Contains("\"rack=r1\"", txt);
    }

    [DigFact(Timeout = 60_000)]
    public async Task Dig_NxDomainEdnsTcpAndTruncation()
    {
        await using var dns = await RunningDns.StartAsync(DnsCatalog.Standard(), new Consul.Core.Dns.DnsOptions { EnableTruncate = true });
        var nx = await Dig(dns.Port, "nope.service.consul", "A");
        Assert.Contains("status: NXDOMAIN", nx);
        Assert.Contains("SOA", nx);

        var edns = await Dig(dns.Port, "+bufsize=1232", "db.service.consul", "A");
        Assert.Contains("udp: 1232", edns);
        Assert.Contains("ANSWER: 20", edns);

        var truncated = await Dig(dns.Port, "+noedns", "+ignore", "db.service.consul", "SRV");
        Assert.Contains(" tc", truncated);

        var tcp = await Dig(dns.Port, "+tcp", "db.service.consul", "SRV");
        Assert.Contains("ANSWER: 20", tcp);

        var refused = await Dig(dns.Port, "example.com", "A");
        Assert.Contains("status: REFUSED", refused);
    }
}
