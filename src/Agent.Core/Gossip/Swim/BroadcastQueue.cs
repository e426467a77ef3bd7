namespace Consul.Core.Gossip.Swim;

/// <summary>
/// Messages waiting to be piggy-backed on outgoing packets. Each is sent up to
/// RetransmitMult * ceil(log10(N+1)) times, least-sent first; a newer message about the
/// same subject (node name, intent key) replaces an older one still in the queue.
/// </summary>
public sealed class BroadcastQueue(int retransmitMult, int maxDepth = 4096)
{
    private sealed class Item
    {
        public required string? Key { get; init; }
        public required byte[] Message { get; init; }
        public required long Id { get; init; }
        public Action? OnFinished { get; init; }
        public int Transmits { get; set; }
    }

    // Ordered by transmits ascending, then newest first: the next to send is at the front.
    private readonly SortedSet<Item> _items = new(Comparer<Item>.Create((a, b) =>
        a.Transmits != b.Transmits ? a.Transmits.CompareTo(b.Transmits) : b.Id.CompareTo(a.Id)));
    private readonly Dictionary<string, Item> _byKey = new();
    private long _nextId;

    public int Count => _items.Count;

    /// <summary>Queues a message; <paramref name="onFinished"/> runs once it has been sent enough times or replaced.</summary>
    public void Enqueue(string? key, byte[] message, Action? onFinished = null)
    {
        if (key != null && _byKey.Remove(key, out var old))
        {
            _items.Remove(old);
            old.OnFinished?.Invoke();
        }
        var item = new Item { Key = key, Message = message, Id = _nextId++, OnFinished = onFinished };
        _items.Add(item);
        if (key != null) _byKey[key] = item;
        while (_items.Count > maxDepth)
        {
            // Drop the most-transmitted (oldest) when the queue overflows.
            var victim = _items.Max!;
            Remove(victim);
            victim.OnFinished?.Invoke();
        }
    }

    /// <summary>Takes messages that fit in <paramref name="limit"/> bytes, counting <paramref name="overhead"/> per message.</summary>
    public List<byte[]> Take(int overhead, int limit, int numNodes, int maxCount = int.MaxValue)
    {
        var result = new List<byte[]>();
        if (_items.Count == 0 || limit <= 0) return result;
        var transmitLimit = SwimMath.RetransmitLimit(retransmitMult, numNodes);
        var used = 0;
        var picked = new List<Item>();
        foreach (var item in _items)
        {
            if (result.Count >= maxCount) break;
            // Nothing useful fits any more: stop scanning (queues can hold thousands).
            if (limit - used < overhead + 16) break;
            var size = item.Message.Length + overhead;
            if (used + size > limit) continue;
            used += size;
            result.Add(item.Message);
            picked.Add(item);
        }
        foreach (var item in picked)
        {
            _items.Remove(item);
            item.Transmits++;
            if (item.Transmits >= transmitLimit)
            {
                if (item.Key != null) _byKey.Remove(item.Key);
                item.OnFinished?.Invoke();
            }
            else _items.Add(item);
        }
        return result;
    }

    public void Clear()
    {
        foreach (var i in _items) i.OnFinished?.Invoke();
        _items.Clear();
        _byKey.Clear();
    }

    private void Remove(Item item)
    {
        _items.Remove(item);
        if (item.Key != null) _byKey.Remove(item.Key);
    }
}
