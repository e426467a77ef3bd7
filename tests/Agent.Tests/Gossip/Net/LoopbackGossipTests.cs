using System.Net;
using System.Net.Sockets;
using Consul.Core.Events;
using Consul.Core.Gossip;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using Xunit.Abstractions;

namespace Consul.Tests.Gossip.Net;

/// <summary>Several real pools over UDP/TCP on 127.0.1.21.. with port 8301.</summary>
[Collection("gossip-loopback")]
public sealed class LoopbackGossipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(15);

    [Fact(Timeout = 60_000)]
    public async Task Three_agents_join_and_see_each_other_with_tags()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 21);
        var b = env.Start("b", 22);
        var c = env.Start("c", 23);
        Assert.Equal(1, await b.JoinAsync(["127.0.1.21"]));
        Assert.Equal(1, await c.JoinAsync(["127.0.1.22:8301"]));
        var ok = await LoopbackPools.Eventually(() => env.Pools.All(p => p.Members().Count(m => m.Status == MemberStatus.Alive) == 3), Converge);
        Assert.True(ok, string.Join(" | ", env.Pools.Select(p => p.Name + ": " + string.Join(",", p.Members().Select(m => m.Name + "=" + m.StatusText)))));
        var seenByA = a.Members().Single(m => m.Name == "c");
        Assert.Equal("127.0.1.23:8301", seenByA.AddressText);
        Assert.Equal("consul", seenByA.Tag("role"));
        Assert.Equal("server", GossipPool.RoleOf(seenByA));
        Assert.Equal("client", GossipPool.RoleOf(a.Members().Single(m => m.Name == "b")));
        Assert.Contains(env.Events.Recent(), e => e is MemberJoined { Member: "c" });
    }

    [Fact(Timeout = 60_000)]
    public async Task Stopped_agent_is_detected_as_failed()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 24);
        var b = env.Start("b", 25);
        var c = env.Start("c", 26);
        await b.JoinAsync(["127.0.1.24"]);
        await c.JoinAsync(["127.0.1.24"]);
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 3, Converge));
        var stoppedAt = DateTime.UtcNow;
        await c.ShutdownAsync();
        var ok = await LoopbackPools.Eventually(() =>
            LoopbackPools.StatusOf(a, "c") == MemberStatus.Failed && LoopbackPools.StatusOf(b, "c") == MemberStatus.Failed, TimeSpan.FromSeconds(30));
        Assert.True(ok, $"a sees c {LoopbackPools.StatusOf(a, "c")}, b sees c {LoopbackPools.StatusOf(b, "c")}");
        output.WriteLine($"stopped agent failed everywhere after {(DateTime.UtcNow - stoppedAt).TotalSeconds:F1}s");
        Assert.Contains(env.Events.Recent(), e => e is MemberFailed { Member: "c" });
    }

    [Fact(Timeout = 60_000)]
    public async Task Graceful_leave_is_seen_as_left()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 27);
        var b = env.Start("b", 28);
        await b.JoinAsync(["127.0.1.27"]);
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 2, Converge));
        await b.LeaveAsync();
        Assert.True(await LoopbackPools.Eventually(() => LoopbackPools.StatusOf(a, "b") == MemberStatus.Left, TimeSpan.FromSeconds(10)),
            $"a sees b {LoopbackPools.StatusOf(a, "b")}");
        Assert.Contains(env.Events.Recent(), e => e is MemberLeft { Member: "b" });
        Assert.DoesNotContain(env.Events.Recent(), e => e is MemberFailed);
    }

    [Fact(Timeout = 60_000)]
    public async Task Wrong_encryption_key_cannot_join_and_the_log_says_why()
    {
        await using var env = new LoopbackPools();
        var k1 = Keyring.Generate();
        var a = env.Start("a", 29, Keyring.FromBase64([k1]));
        var b = env.Start("b", 30, Keyring.FromBase64([Keyring.Generate()]));
        var e = await Assert.ThrowsAsync<GossipJoinException>(() => b.JoinAsync(["127.0.1.29"]));
        Assert.Contains("No installed keys could decrypt the message", e.Message);
        Assert.True(env.Logs["a"].Contains("No installed keys could decrypt the message"));
        Assert.Single(a.Members());

        // Plain-text node against an encrypted pool is refused as well.
        var c = env.Start("c", 31);
        var e2 = await Assert.ThrowsAsync<GossipJoinException>(() => c.JoinAsync(["127.0.1.29"]));
        Assert.Contains("Encryption is configured but remote state is not encrypted", e2.Message);

        // The right key works.
        var d = env.Start("d", 32, Keyring.FromBase64([k1]));
        Assert.Equal(1, await d.JoinAsync(["127.0.1.29"]));
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 2, Converge));
    }

    [Fact(Timeout = 90_000)]
    public async Task Restarted_agent_rejoins_from_its_snapshot()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 33, dataDir: true);
        var b = env.Start("b", 34, dataDir: true);
        var c = env.Start("c", 35, dataDir: true);
        await b.JoinAsync(["127.0.1.33"]);
        await c.JoinAsync(["127.0.1.33"]);
        Assert.True(await LoopbackPools.Eventually(() => env.Pools.All(p => p.Members().Count(m => m.Status == MemberStatus.Alive) == 3), Converge));
        await c.ShutdownAsync();
        env.Pools.Remove(c);
        Assert.True(File.Exists(Path.Combine(env.Root, "c", "serf", "local.snapshot")));
        Assert.True(await LoopbackPools.Eventually(() => LoopbackPools.StatusOf(a, "c") == MemberStatus.Failed, TimeSpan.FromSeconds(30)));

        // Same name, address and data dir; no explicit join.
        var c2 = env.Start("c", 35, dataDir: true);
        var ok = await LoopbackPools.Eventually(() =>
            LoopbackPools.StatusOf(a, "c") == MemberStatus.Alive && LoopbackPools.StatusOf(b, "c") == MemberStatus.Alive &&
            c2.Members().Count(m => m.Status == MemberStatus.Alive) == 3, TimeSpan.FromSeconds(20));
        Assert.True(ok, $"a sees c {LoopbackPools.StatusOf(a, "c")}; c2 sees {string.Join(",", c2.Members().Select(m => m.Name + "=" + m.StatusText))}");
        Assert.True(env.Logs["c"].Contains("Re-joined to previously known node"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Retry_join_succeeds_once_the_seed_comes_up()
    {
        await using var env = new LoopbackPools();
        var b = env.Start("b", 37);
        var join = b.RetryJoinAsync(["127.0.1.36"], TimeSpan.FromMilliseconds(500), maxAttempts: 40);
        Assert.True(await LoopbackPools.Eventually(() => env.Logs["b"].Contains("Join cluster failed, will retry"), TimeSpan.FromSeconds(10)));
        var a = env.Start("a", 36);
        Assert.Equal(1, await join);
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 2, Converge));
    }

    [Fact(Timeout = 60_000)]
    public async Task Garbage_packets_are_counted_and_dropped()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 38);
        var b = env.Start("b", 39);
        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.1.40"), 0)))
        {
            await udp.SendAsync(new byte[] { 1 }, LoopbackPools.Address(38));                 // truncated
            await udp.SendAsync(new byte[] { 9, 1, 0, 0 }, LoopbackPools.Address(38));        // wrong version
            await udp.SendAsync(Enumerable.Range(0, 900).Select(i => (byte)(i * 7)).ToArray(), LoopbackPools.Address(38)); // garbage
        }
        using (var tcp = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.1.40"), 0)))
        {
            await tcp.ConnectAsync(LoopbackPools.Address(38));
            await tcp.GetStream().WriteAsync(new byte[] { 0x7f, 0xff, 0xff, 0xff, 1, 2, 3 }); // oversized frame header
        }
        Assert.True(await LoopbackPools.Eventually(() => a.BadPackets >= 3, TimeSpan.FromSeconds(10)), $"bad packets {a.BadPackets}");
        Assert.Equal(1, await b.JoinAsync(["127.0.1.38"]));
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 2, Converge));
    }

    [Fact(Timeout = 90_000)]
    public async Task Keyring_operations_reach_every_member_and_allow_key_rotation()
    {
        await using var env = new LoopbackPools();
        var k1 = Keyring.Generate();
        var k2 = Keyring.Generate();
        var a = env.Start("a", 41, Keyring.FromBase64([k1]), dataDir: true);
        var b = env.Start("b", 42, Keyring.FromBase64([k1]), dataDir: true);
        var c = env.Start("c", 43, Keyring.FromBase64([k1]), dataDir: true);
        await b.JoinAsync(["127.0.1.41"]);
        await c.JoinAsync(["127.0.1.41"]);
        Assert.True(await LoopbackPools.Eventually(() => env.Pools.All(p => p.Members().Count(m => m.Status == MemberStatus.Alive) == 3), Converge));

        var install = await a.InstallKeyAsync(k2);
        Assert.Equal((3, 3, 0), (install.NumNodes, install.NumResp, install.NumErr));
        var list = await b.ListKeysAsync();
        Assert.Equal(3, list.Keys[k1]);
        Assert.Equal(3, list.Keys[k2]);
        Assert.Equal(k1, list.PrimaryKey);

        var use = await a.UseKeyAsync(k2);
        Assert.Equal(0, use.NumErr);
        var removePrimary = await a.RemoveKeyAsync(k2);
        Assert.Equal(3, removePrimary.NumErr);
        Assert.Equal("Removing the primary key is not allowed", removePrimary.Messages["b"]);
        var remove = await a.RemoveKeyAsync(k1);
        Assert.Equal(0, remove.NumErr);
        var after = await c.ListKeysAsync();
        Assert.Equal(new[] { k2 }, after.Keys.Keys.ToArray());

        // Persisted in each data dir, and a node holding only the new key can join.
        var saved = KeyringFile.Load(Path.Combine(env.Root, "b", "serf", "local.keyring"))!;
        Assert.Equal(k2, Convert.ToBase64String(saved.PrimaryKey!));
        var d = env.Start("d", 44, Keyring.FromBase64([k2]));
        Assert.Equal(1, await d.JoinAsync(["127.0.1.42"]));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_leave_the_snapshot_is_only_rejoined_with_rejoin_after_leave(bool rejoinAfterLeave)
    {
        await using var env = new LoopbackPools();
        var octet = rejoinAfterLeave ? 46 : 48;
        var a = env.Start("a", octet, dataDir: true);
        var b = env.Start("b", octet + 1, dataDir: true, rejoinAfterLeave: rejoinAfterLeave);
        await b.JoinAsync([$"127.0.1.{octet}"]);
        Assert.True(await LoopbackPools.Eventually(() => a.Members().Count(m => m.Status == MemberStatus.Alive) == 2, Converge));
        await b.LeaveAsync();
        env.Pools.Remove(b);
        Assert.True(await LoopbackPools.Eventually(() => LoopbackPools.StatusOf(a, "b") == MemberStatus.Left, TimeSpan.FromSeconds(10)));

        var b2 = env.Start("b", octet + 1, dataDir: true, rejoinAfterLeave: rejoinAfterLeave);
        if (rejoinAfterLeave)
        {
            Assert.True(await LoopbackPools.Eventually(() => LoopbackPools.StatusOf(a, "b") == MemberStatus.Alive, TimeSpan.FromSeconds(15)));
        }
        else
        {
            Assert.True(await LoopbackPools.Eventually(() => env.Logs["b"].Contains("Ignoring previous nodes due to leave"), TimeSpan.FromSeconds(10)));
            Assert.Single(b2.Members());
            Assert.Equal(MemberStatus.Left, LoopbackPools.StatusOf(a, "b"));
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Retry_join_gives_up_after_retry_max()
    {
        await using var env = new LoopbackPools();
        var a = env.Start("a", 50);
        var e = await Assert.ThrowsAsync<GossipJoinException>(() => a.RetryJoinAsync(["127.0.1.51"], TimeSpan.FromMilliseconds(100), maxAttempts: 3));
        Assert.Contains("max join retry exhausted", e.Message);
        Assert.Equal(2, env.Logs["a"].Lines.Count(l => l.Contains("Join cluster failed, will retry")));
    }
}
