using System.Net;
using Consul.Core.Dns;
using DnsClient;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Tests.Dns;

/// <summary>A <see cref="ConsulDnsServer"/> on 127.0.0.1 with an ephemeral port, and clients for it.</summary>
internal sealed class RunningDns : IAsyncDisposable
{
    private RunningDns(ConsulDnsServer server) => Server = server;

    public ConsulDnsServer Server { get; }
    public int Port => Server.Port;
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public static async Task<RunningDns> StartAsync(DnsCatalog catalog, DnsOptions? options = null, Consul.Core.State.ICommandLog? log = null)
    {
        options = (options ?? new DnsOptions { NodeName = "node1" }) with { BindAddress = IPAddress.Loopback, Port = 0 };
        var server = new ConsulDnsServer(options, catalog.Store, NullLoggerFactory.Instance, random: new Random(1), log: log);
        await server.StartAsync(CancellationToken.None);
        return new RunningDns(server);
    }

    /// <summary>A DnsClient resolver for this server; bufferSize 512 sends no EDNS.</summary>
    public LookupClient Client(bool tcp = false, int bufferSize = 512, bool tcpFallback = true) =>
        new(new LookupClientOptions(new NameServer(IPAddress.Loopback, Port))
        {
            UseCache = false,
            UseTcpOnly = tcp,
            UseTcpFallback = tcpFallback,
            ExtendedDnsBufferSize = bufferSize,
            Timeout = TimeSpan.FromSeconds(3),
            Retries = 1,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
        });

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
