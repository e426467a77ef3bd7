using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Consul.Tests.Dns;

/// <summary>
/// A tiny ARSoft server on 127.0.0.1 standing in for an upstream resolver: it answers every
/// A question with <see cref="Address"/>, "missing.example." with NXDOMAIN, or SERVFAIL for all
/// when <see cref="Failing"/>.
/// </summary>
internal sealed class UpstreamDns : IDisposable
{
    private readonly DnsServer _server;
    private int _queries;

    private UpstreamDns(DnsServer server, int port, IPAddress address, bool failing)
    {
        _server = server;
        Port = port;
        Address = address;
        Failing = failing;
    }

    public int Port { get; }
    public IPAddress Address { get; }
    public bool Failing { get; }
    public int Queries => Volatile.Read(ref _queries);
    public string Endpoint => $"127.0.0.1:{Port}";

    public static UpstreamDns Start(IPAddress address, bool failing = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = ClosedPort();
            var ep = new IPEndPoint(IPAddress.Loopback, port);
            var server = new DnsServer(new UdpServerTransport(ep, 2000), new TcpServerTransport(ep, 2000, 5000));
            var upstream = new UpstreamDns(server, port, address, failing);
            server.QueryReceived += upstream.OnQuery;
            try
            {
                server.Start();
                return upstream;
            }
            catch (SocketException) when (attempt < 10)
            {
                ((IDisposable)server).Dispose();
            }
        }
    }

    /// <summary>A loopback port nothing listens on (bound and released at once).</summary>
    public static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private Task OnQuery(object sender, QueryReceivedEventArgs e)
    {
        Interlocked.Increment(ref _queries);
        var query = (DnsMessage)e.Query;
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        var q = query.Questions[0];
        if (Failing) response.ReturnCode = ReturnCode.ServerFailure;
        else if (q.Name.Equals(DomainName.Parse("missing.example"))) response.ReturnCode = ReturnCode.NxDomain;
        else if (q.RecordType == RecordType.A) response.AnswerRecords.Add(new ARecord(q.Name, 60, Address));
        e.Response = response;
        return Task.CompletedTask;
    }

    public void Dispose() => ((IDisposable)_server).Dispose();
}
