using System.Net;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Serf;
using Consul.Core.Gossip.Swim;

namespace Consul.Tests.Gossip;

public sealed class CoreUnitTests
{
    private static readonly IPEndPoint A = new(IPAddress.Parse("10.0.0.1"), 8301);

    public static TheoryData<SwimMessage> Messages() => new()
    {
        new PingMessage(7, "n1", A, "n2"),
        new IndirectPingMessage(8, "n1", A, true, new IPEndPoint(IPAddress.IPv6Loopback, 8302), "n3"),
        new AckMessage(9, [1, 2, 3]),
        new NackMessage(10),
        new SuspectMessage(3, "n1", "n2"),
        new AliveMessage(4, "nödé", A, [5, 6], [1, 5, 2, 2, 5, 4]),
        new DeadMessage(5, "n1", "n1"),
        new UserMessage([2, 0, 1]),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_round_trips(SwimMessage m)
    {
        var decoded = Assert.Single(MessageCodec.Decode(MessageCodec.Encode(m)));
        Assert.Equal(MessageCodec.EncodeMessage(m), MessageCodec.EncodeMessage(decoded));
        Assert.Equal(m.GetType(), decoded.GetType());
    }

    [Fact]
    public void Push_pull_round_trips()
    {
        var pp = new PushPullMessage(1, true, false, A, [new PushNodeState("x", A, [1], 3, NodeStateKind.Suspect, [1, 5, 2, 2, 5, 4])], [9, 9]);
        var back = (PushPullMessage)MessageCodec.Decode(MessageCodec.Encode(pp))[0];
        Assert.Equal(NodeStateKind.Suspect, back.Nodes[0].State);
        Assert.Equal(A, back.Nodes[0].Address);
        Assert.Equal(new byte[] { 9, 9 }, back.UserState);
    }

    [Fact]
    public void Bad_packets_are_counted_never_thrown()
    {
        var core = new SwimCore(SwimConfig.DefaultLan("me", A), new Random(1));
        core.Start(TimeSpan.FromSeconds(1));
        var rng = new Random(42);
        var valid = MessageCodec.Pack([MessageCodec.EncodeMessage(new AliveMessage(2, "peer", A, [1], new byte[6])), MessageCodec.EncodeMessage(new PingMessage(1, "me", A, "peer"))]);
        var bad = 0L;
        for (var i = 0; i < 2000; i++)
        {
            byte[] p = (i % 4) switch
            {
                0 => valid[..rng.Next(valid.Length)],                           // truncated
                1 => [(byte)(2 + rng.Next(200)), .. valid[1..]],                 // wrong version
                2 => Enumerable.Range(0, rng.Next(1, 300)).Select(_ => (byte)rng.Next(256)).ToArray(), // garbage
                _ => valid.Select(b => rng.Next(20) == 0 ? (byte)rng.Next(256) : b).ToArray(), // bit rot
            };
            core.HandlePacket(A, p, reliable: i % 2 == 0, TimeSpan.FromSeconds(2));
        }
        bad = core.BadPackets;
        Assert.True(bad > 1500, $"only {bad} counted as bad");
        core.HandlePacket(A, new byte[70_000], reliable: false, TimeSpan.FromSeconds(2));
        Assert.Equal(bad + 1, core.BadPackets);
    }

    [Fact]
    public void Memberlist_formulas()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), SwimMath.SuspicionTimeout(4, 3, TimeSpan.FromSeconds(1)));
        Assert.Equal(6795, SwimMath.SuspicionTimeout(4, 50, TimeSpan.FromSeconds(1)).TotalMilliseconds);
        Assert.Equal(8, SwimMath.RetransmitLimit(4, 50));
        Assert.Equal(12, SwimMath.RetransmitLimit(4, 500));
        var min = TimeSpan.FromSeconds(2);
        var max = TimeSpan.FromSeconds(30);
        Assert.Equal(max, SwimMath.RemainingSuspicion(0, 3, min, max));
        Assert.Equal(min, SwimMath.RemainingSuspicion(3, 3, min, max));
        Assert.True(SwimMath.RemainingSuspicion(1, 3, min, max) < max);
        Assert.Equal(min, SwimMath.RemainingSuspicion(0, 0, min, max));
        Assert.Equal(TimeSpan.FromSeconds(90), SwimMath.PushPullScale(TimeSpan.FromSeconds(30), 100));
    }

    [Fact]
    public void Lan_and_wan_defaults_match_memberlist()
    {
        var lan = SwimConfig.DefaultLan("n", A);
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), 4, 6, 3, 3, 4), (lan.ProbeInterval, lan.ProbeTimeout, lan.SuspicionMult, lan.SuspicionMaxTimeoutMult, lan.IndirectChecks, lan.GossipNodes, lan.RetransmitMult));
        Assert.Equal((TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), 8), (lan.GossipInterval, lan.PushPullInterval, lan.GossipToTheDeadTime, lan.AwarenessMaxMultiplier));
        var wan = SwimConfig.DefaultWan("n", A);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), 6, 4, TimeSpan.FromMilliseconds(500)), (wan.ProbeInterval, wan.ProbeTimeout, wan.SuspicionMult, wan.GossipNodes, wan.GossipInterval));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)), (wan.PushPullInterval, wan.GossipToTheDeadTime, wan.TcpTimeout));
    }

    [Fact]
    public void Awareness_stretches_timeouts_up_to_the_max()
    {
        var a = new Awareness(8);
        a.ApplyDelta(100);
        Assert.Equal(7, a.Score);
        Assert.Equal(TimeSpan.FromSeconds(4), a.Scale(TimeSpan.FromMilliseconds(500)));
        a.ApplyDelta(-100);
        Assert.Equal(TimeSpan.FromMilliseconds(500), a.Scale(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Lamport_clock_witnesses_and_increments()
    {
        var c = new LamportClock();
        c.Witness(10);
        Assert.Equal(11UL, c.Time);
        c.Witness(3);
        Assert.Equal(11UL, c.Time);
        Assert.Equal(12UL, c.Increment());
    }

    [Fact]
    public void Keyring_install_use_remove_and_validation()
    {
        var k1 = Keyring.DecodeKey(Keyring.Generate());
        var k2 = Keyring.DecodeKey(Convert.ToBase64String(new byte[16]));
        var ring = new Keyring([k1]);
        ring.Install(k2);
        Assert.Equal(k1, ring.PrimaryKey);
        ring.Use(k2);
        Assert.Equal(k2, ring.PrimaryKey);
        Assert.Equal("Removing the primary key is not allowed", Assert.Throws<InvalidOperationException>(() => ring.Remove(k2)).Message);
        ring.Remove(k1);
        Assert.Single(ring.Keys);
        Assert.Equal("key size must be 16, 24 or 32 bytes", Assert.Throws<ArgumentException>(() => Keyring.DecodeKey(Convert.ToBase64String(new byte[10]))).Message);
        Assert.Throws<ArgumentException>(() => Keyring.DecodeKey("not base64!"));
        Assert.Throws<InvalidOperationException>(() => ring.Use(k1));
    }

    [Fact]
    public void Keyring_file_round_trips()
    {
        var path = Path.Combine(Path.GetTempPath(), "kr-" + Guid.NewGuid().ToString("N"), "serf", "local.keyring");
        var ring = Keyring.FromBase64([Keyring.Generate(), Convert.ToBase64String(new byte[24])]);
        KeyringFile.Save(path, ring);
        var back = KeyringFile.Load(path)!;
        Assert.Equal(ring.Keys.Select(Convert.ToBase64String), back.Keys.Select(Convert.ToBase64String));
        Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, true);
    }

    [Fact]
    public void Cipher_round_trips_tries_every_key_and_rejects_wrong_keys()
    {
        var k1 = Keyring.DecodeKey(Keyring.Generate());
        var k2 = new byte[32];
        var plain = "hello gossip"u8.ToArray();
        var sealedPacket = PacketCipher.Encrypt(k1, plain);
        Assert.True(PacketCipher.LooksEncrypted(sealedPacket));
        Assert.Equal(plain, PacketCipher.Decrypt([k2, k1], sealedPacket));
        var e = Assert.Throws<GossipDecryptException>(() => PacketCipher.Decrypt([k2], sealedPacket));
        Assert.Equal("No installed keys could decrypt the message", e.Message);
        sealedPacket[^1] ^= 1;
        Assert.Throws<GossipDecryptException>(() => PacketCipher.Decrypt([k1], sealedPacket));
        Assert.Throws<GossipDecryptException>(() => PacketCipher.Decrypt([k1], sealedPacket[..10]));
    }

    [Fact]
    public void Vivaldi_client_converges_on_a_plane()
    {
        var cfg = new VivaldiConfig();
        var rng = new Random(5);
        const int n = 12;
        var pos = Enumerable.Range(0, n).Select(_ => (X: rng.NextDouble() * 0.05, Y: rng.NextDouble() * 0.05)).ToArray();
        var clients = Enumerable.Range(0, n).Select(_ => new VivaldiClient(cfg, rng)).ToArray();
        double Rtt(int i, int j) => 0.001 + Math.Sqrt(Math.Pow(pos[i].X - pos[j].X, 2) + Math.Pow(pos[i].Y - pos[j].Y, 2));
        for (var round = 0; round < 3000; round++)
        {
            var i = rng.Next(n);
            var j = rng.Next(n);
            if (i == j) continue;
            clients[i].Update("n" + j, clients[j].Coordinate, TimeSpan.FromSeconds(Rtt(i, j)));
        }
        var errs = new List<double>();
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
            if (i != j) errs.Add(Math.Abs(clients[i].Coordinate.DistanceTo(clients[j].Coordinate).TotalSeconds - Rtt(i, j)) / Rtt(i, j));
        errs.Sort();
        Assert.True(errs[errs.Count / 2] < 0.2, $"median error {errs[errs.Count / 2]:P1}");
        var c = clients[0].Coordinate;
        Assert.Equal(c.Vec, Coordinate.TryDecode(c.Encode())!.Vec);
        Assert.Null(Coordinate.TryDecode([8, 1, 2]));
    }

    [Fact]
    public void Tags_round_trip_and_garbage_meta_gives_no_tags()
    {
        var tags = new Dictionary<string, string> { ["role"] = "consul", ["dc"] = "dc1", ["segment"] = "" };
        var meta = SerfCodec.EncodeTags(tags);
        Assert.Equal(tags, SerfCodec.DecodeTags(meta));
        Assert.Empty(SerfCodec.DecodeTags([200, 200, 200]));
    }
}
