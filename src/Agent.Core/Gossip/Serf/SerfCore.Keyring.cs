using System.Net;
using System.Text;
using Consul.Core.Gossip.Security;
using Consul.Core.Gossip.Swim;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Gossip.Serf;

public enum KeyringOperation : byte { List = 0, Install = 1, Use = 2, Remove = 3 }

/// <summary>Outcome of a pool-wide keyring operation (what `consul keyring` prints per pool).</summary>
public sealed record KeyringResponse(
    int NumNodes,
    int NumResp,
    int NumErr,
    IReadOnlyDictionary<string, string> Messages,
    IReadOnlyDictionary<string, int> Keys,
    string? PrimaryKey);

/// <summary>A keyring operation finished (all alive members answered, or the timeout passed).</summary>
public sealed record KeyringOpCompleted(uint Id, KeyringResponse Response) : SerfEvent;

internal sealed record KeyringRequest(string Origin, IPEndPoint OriginAddress, uint Id, KeyringOperation Op, byte[] Key);
internal sealed record KeyringReply(string Origin, uint Id, string Node, string Error, List<string> Keys, string Primary);

// Keyring operations spread like Serf's key-manager queries: a request broadcast to all,
// each member applies it to its own keyring and answers the origin directly.
public sealed partial class SerfCore
{
    private uint _keyOpSeq;
    private readonly HashSet<(string, uint)> _seenKeyOps = new();
    private readonly Queue<(string, uint)> _seenKeyOpsOrder = new();
    private readonly Dictionary<uint, PendingKeyOp> _keyOps = new();

    private sealed class PendingKeyOp
    {
        public int NumNodes;
        public readonly Dictionary<string, KeyringReply> Replies = new();
        public TimerHandle? Timeout;
    }

    /// <summary>The keys this node encrypts with; set by the driver. Null or empty: encryption off.</summary>
    public Keyring? Keyring { get; set; }

    /// <summary>Set when a keyring operation changed our keys (the driver persists them).</summary>
    public bool KeyringDirty { get; set; }

    /// <summary>Starts a pool-wide keyring operation; a <see cref="KeyringOpCompleted"/> event reports the outcome.</summary>
    public uint StartKeyringOperation(KeyringOperation op, byte[]? key, TimeSpan now)
    {
        _now = now;
        var id = ++_keyOpSeq;
        var pending = new PendingKeyOp { NumNodes = _members.Values.Count(m => m.Member.Status == MemberStatus.Alive) };
        _keyOps[id] = pending;
        var timeout = _cfg.Swim.GossipInterval * 16 * Math.Ceiling(Math.Log10(Math.Max(1, _members.Count) + 1.0));
        pending.Timeout = _timers.Schedule(now + timeout, () => CompleteKeyOp(id));
        var request = new KeyringRequest(Name, _cfg.Swim.Address, id, op, key ?? []);
        if (HandleKeyringRequest(request)) _eventBroadcasts.Enqueue(null, EncodeKeyringRequest(request));
        AfterSwim();
        return id;
    }

    private bool HandleKeyringRequest(KeyringRequest req)
    {
        var opKey = (req.Origin, req.Id);
        if (!_seenKeyOps.Add(opKey)) return false;
        _seenKeyOpsOrder.Enqueue(opKey);
        if (_seenKeyOpsOrder.Count > 1024) _seenKeyOps.Remove(_seenKeyOpsOrder.Dequeue());

        var error = "";
        var ring = Keyring;
        if (ring == null || !ring.Enabled) error = "Keyring operations require encryption to be enabled";
        else
        {
            try
            {
                switch (req.Op)
                {
                    case KeyringOperation.Install: ring.Install(req.Key); KeyringDirty = true; break;
                    case KeyringOperation.Use: ring.Use(req.Key); KeyringDirty = true; break;
                    case KeyringOperation.Remove: ring.Remove(req.Key); KeyringDirty = true; break;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { error = e.Message; }
        }
        if (error.Length > 0) _log.LogWarning("serf: keyring {Op} failed: {Error}", req.Op, error);
        var keys = ring?.Keys.Select(Convert.ToBase64String).ToList() ?? [];
        var primary = ring?.PrimaryKey is { } p ? Convert.ToBase64String(p) : "";
        var reply = new KeyringReply(req.Origin, req.Id, Name, error, keys, primary);
        if (req.Origin == Name) HandleKeyringReply(reply);
        else Swim.SendUserMessage(req.OriginAddress, EncodeKeyringReply(reply));
        return true;
    }

    private void HandleKeyringReply(KeyringReply reply)
    {
        if (reply.Origin != Name || !_keyOps.TryGetValue(reply.Id, out var pending)) return;
        pending.Replies[reply.Node] = reply;
        if (pending.Replies.Count >= pending.NumNodes) CompleteKeyOp(reply.Id);
    }

    private void CompleteKeyOp(uint id)
    {
        if (!_keyOps.Remove(id, out var pending)) return;
        pending.Timeout?.Cancel();
        var messages = new Dictionary<string, string>();
        var keys = new Dictionary<string, int>();
        var primaries = new Dictionary<string, int>();
        foreach (var r in pending.Replies.Values)
        {
            if (r.Error.Length > 0) messages[r.Node] = r.Error;
            foreach (var k in r.Keys) keys[k] = keys.GetValueOrDefault(k) + 1;
            if (r.Primary.Length > 0) primaries[r.Primary] = primaries.GetValueOrDefault(r.Primary) + 1;
        }
        var numResp = pending.Replies.Count;
        var numErr = pending.Replies.Values.Count(r => r.Error.Length > 0);
        var primary = primaries.OrderByDescending(p => p.Value).Select(p => p.Key).FirstOrDefault();
        _events.Add(new KeyringOpCompleted(id, new KeyringResponse(pending.NumNodes, numResp, numErr, messages, keys, primary)));
    }

    private static byte[] EncodeKeyringRequest(KeyringRequest r) => WriteSerf(SerfMessageType.KeyringOp, w =>
    {
        w.Write((byte)0); w.Write(r.Origin); WriteEndPoint(w, r.OriginAddress); w.Write(r.Id); w.Write((byte)r.Op);
        w.Write7BitEncodedInt(r.Key.Length); w.Write(r.Key);
    });

    private static byte[] EncodeKeyringReply(KeyringReply r) => WriteSerf(SerfMessageType.KeyringOp, w =>
    {
        w.Write((byte)1); w.Write(r.Origin); w.Write(r.Id); w.Write(r.Node); w.Write(r.Error);
        w.Write7BitEncodedInt(r.Keys.Count);
        foreach (var k in r.Keys) w.Write(k);
        w.Write(r.Primary);
    });

    private void HandleKeyringMessage(byte[] message)
    {
        var r = new BinaryReader(new MemoryStream(message, 1, message.Length - 1, writable: false), Encoding.UTF8);
        try
        {
            if (r.ReadByte() == 0)
            {
                var origin = r.ReadString();
                var len = r.ReadByte();
                if (len is not (4 or 16)) throw new GossipFormatException("bad address");
                var addr = new IPEndPoint(new IPAddress(r.ReadBytes(len)), r.ReadUInt16());
                var req = new KeyringRequest(origin, addr, r.ReadUInt32(), (KeyringOperation)r.ReadByte(), r.ReadBytes(Math.Min(r.Read7BitEncodedInt(), 64)));
                if (HandleKeyringRequest(req)) _eventBroadcasts.Enqueue(null, message);
            }
            else
            {
                var origin = r.ReadString();
                var id = r.ReadUInt32();
                var node = r.ReadString();
                var error = r.ReadString();
                var n = Math.Min(r.Read7BitEncodedInt(), 64);
                var keys = new List<string>(n);
                for (var i = 0; i < n; i++) keys.Add(r.ReadString());
                HandleKeyringReply(new KeyringReply(origin, id, node, error, keys, r.ReadString()));
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException)
        {
            throw new GossipFormatException("malformed keyring message");
        }
    }

    private static void WriteEndPoint(BinaryWriter w, IPEndPoint ep)
    {
        var b = ep.Address.GetAddressBytes();
        w.Write((byte)b.Length); w.Write(b); w.Write((ushort)ep.Port);
    }

    private static byte[] WriteSerf(SerfMessageType type, Action<BinaryWriter> body)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms, Encoding.UTF8);
        w.Write((byte)type);
        body(w);
        w.Flush();
        return ms.ToArray();
    }
}
