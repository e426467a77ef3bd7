using System.Buffers.Binary;
using System.Collections.Concurrent;
using Consul.Core.Model;
using Google.Protobuf;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Consul.Tests.Checks;

/// <summary>
/// gRPC checks against an in-test health server. Grpc.AspNetCore is not referenced by the
/// tests, so the server speaks the gRPC wire format by hand on Kestrel's cleartext HTTP/2:
/// a 5-byte length-prefixed protobuf message and grpc-status trailers.
/// </summary>
public class GrpcCheckTests
{
    private static Task<TestWebServer> HealthServer(IReadOnlyDictionary<string, ServingStatus> statuses, ConcurrentQueue<string>? asked = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null) =>
        TestWebServer.StartAsync(app => app.MapPost("/grpc.health.v1.Health/Check", async (HttpContext ctx) =>
        {
            using var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            var frame = body.ToArray();
            var request = HealthCheckRequest.Parser.ParseFrom(frame, 5, frame.Length - 5);
            asked?.Enqueue(request.Service);
            ctx.Response.ContentType = "application/grpc";
            if (!statuses.TryGetValue(request.Service, out var status))
            {
                ctx.Response.AppendTrailer("grpc-status", "5");
                ctx.Response.AppendTrailer("grpc-message", "unknown service");
                return;
            }
            var payload = new HealthCheckResponse { Status = status }.ToByteArray();
            var reply = new byte[5 + payload.Length];
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(1), (uint)payload.Length);
            payload.CopyTo(reply, 5);
            await ctx.Response.Body.WriteAsync(reply);
            ctx.Response.AppendTrailer("grpc-status", "0");
        }), HttpProtocols.Http2, certificate);

    private static readonly Dictionary<string, ServingStatus> Statuses = new()
    {
        [""] = ServingStatus.Serving,
        ["up"] = ServingStatus.Serving,
        ["down"] = ServingStatus.NotServing,
    };

    [Fact(Timeout = 30_000)]
    public async Task ServingIsPassing()
    {
        var asked = new ConcurrentQueue<string>();
        await using var server = await HealthServer(Statuses, asked);
        var target = $"127.0.0.1:{server.Port}/up";
        await using var h = new CheckHarness();
        h.Manager.Start("g", new CheckDefinition { GRPC = target, Interval = "10s" });
        var u = await h.DriveUntilUpdate("g");
        Assert.Equal(new CheckUpdate("g", HealthStatus.Passing, $"gRPC check {target}: success"), u);
        Assert.Equal("up", Assert.Single(asked));
    }

    [Fact(Timeout = 30_000)]
    public async Task WholeServerWhenNoServiceGiven()
    {
        var asked = new ConcurrentQueue<string>();
        await using var server = await HealthServer(Statuses, asked);
        var target = $"127.0.0.1:{server.Port}";
        await using var h = new CheckHarness();
        h.Manager.Start("g", new CheckDefinition { GRPC = target, Interval = "10s" });
        Assert.Equal(HealthStatus.Passing, (await h.DriveUntilUpdate("g")).Status);
        Assert.Equal("", Assert.Single(asked));
    }

    [Fact(Timeout = 30_000)]
    public async Task NotServingIsCritical()
    {
        await using var server = await HealthServer(Statuses);
        var target = $"127.0.0.1:{server.Port}/down";
        await using var h = new CheckHarness();
        h.Manager.Start("g", new CheckDefinition { GRPC = target, Interval = "10s" });
        var u = await h.DriveUntilUpdate("g");
        Assert.Equal(new CheckUpdate("g", HealthStatus.Critical, $"gRPC {target} serving status: NOT_SERVING"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task UnknownServiceIsCritical()
    {
        await using var server = await HealthServer(Statuses);
        await using var h = new CheckHarness();
        h.Manager.Start("g", new CheckDefinition { GRPC = $"127.0.0.1:{server.Port}/nope", Interval = "10s" });
        var u = await h.DriveUntilUpdate("g");
        Assert.Equal(new CheckUpdate("g", HealthStatus.Critical, "rpc error: code = NotFound desc = unknown service"), u);
    }

    [Fact(Timeout = 30_000)]
    public async Task NoServerIsCritical()
    {
        var port = Defs.ClosedPort();
        await using var h = new CheckHarness();
        h.Manager.Start("g", new CheckDefinition { GRPC = $"127.0.0.1:{port}/up", Interval = "10s" });
        var u = await h.DriveUntilUpdate("g");
        Assert.Equal(HealthStatus.Critical, u.Status);
        Assert.StartsWith("rpc error: code = Unavailable desc = ", u.Output);
        Assert.Contains($"dial tcp 127.0.0.1:{port}: connect: connection refused", u.Output);
    }

    [Fact(Timeout = 30_000)]
    public async Task TlsWhenAsked()
    {
        using var cert = HttpsCheckTests.SelfSigned();
        await using var server = await HealthServer(Statuses, certificate: cert);
        var target = $"127.0.0.1:{server.Port}/up";
        await using var h = new CheckHarness();
        h.Manager.Start("plain", new CheckDefinition { GRPC = target, Interval = "10s" });
        h.Manager.Start("tls", new CheckDefinition { GRPC = target, GRPCUseTLS = true, TLSSkipVerify = true, Interval = "10s" });
        Assert.Equal(new CheckUpdate("tls", HealthStatus.Passing, $"gRPC check {target}: success"), await h.DriveUntilUpdate("tls"));
        Assert.Equal(HealthStatus.Critical, (await h.DriveUntilUpdate("plain")).Status);
    }
}
