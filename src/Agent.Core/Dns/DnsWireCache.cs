using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Consul.Core.Dns;

/// <summary>
/// Encoded UDP responses keyed by the query's bytes after its ID (flags, question with its case,
/// EDNS record), for one catalog index and one set of permissions, as <see cref="DnsAnswerCache"/>.
/// A hit is the stored response with the query's ID and the current SOA serial written in, so a
/// repeat question costs a copy instead of a parse, a resolve and an encode.
/// Consul shuffles the instances of every answer, so an entry keeps collecting distinct encodings
/// from the full pipeline (each one a random shuffle) until it holds every order of up to three
/// records, or 16 orders of more; only then does it answer, picking one at random per query.
/// </summary>
public sealed class DnsWireCache
{
    private const int HeaderSize = 12;
    private const int MaxVariants = 16;
    /// <summary>Answers that turn out not to vary stop collecting after this many tries per variant wanted.</summary>
    private const int TriesPerVariant = 4;
    private const int ServerFailure = 2;

    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly int _capacity;
    private Generation _current = new(0, DnsAccess.Unrestricted.CacheKey);

    public DnsWireCache(TimeProvider time, TimeSpan maxAge, int capacity = 4096)
    {
        _time = time;
        _maxAge = maxAge;
        _capacity = capacity;
    }

    public int Count => _current.Entries.Count;

    /// <summary>
    /// Writes the cached response to <paramref name="query"/> into <paramref name="destination"/>;
    /// false when there is none yet (or it is still collecting shuffles), so the caller takes the
    /// full pipeline and offers its response with <see cref="Offer"/>.
    /// </summary>
    public bool TryAnswer(ulong index, object scope, ReadOnlySpan<byte> query, Span<byte> destination, Random random, out int length)
    {
        length = 0;
        var generation = _current;
        if (query.Length < HeaderSize || !generation.Matches(index, scope)) return false;
        if (!generation.Lookup.TryGetValue(query[2..], out var entry)) return false;
        var now = _time.GetTimestamp();
        if (!entry.Complete || _time.GetElapsedTime(entry.Created, now) >= _maxAge) return false;

        var variants = entry.Variants;
        var variant = variants[variants.Length == 1 ? 0 : random.Next(variants.Length)];
        if (variant.Bytes.Length > destination.Length) return false;
        variant.Bytes.CopyTo(destination);
        query[..2].CopyTo(destination); // the query's ID
        if (variant.SerialOffsets.Length > 0)
        {
            var serial = (uint)_time.GetUtcNow().ToUnixTimeSeconds(); // Consul's SOA serial: the current time
            foreach (var offset in variant.SerialOffsets) BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], serial);
        }
        length = variant.Bytes.Length;
        return true;
    }

    /// <summary>
    /// Stores a response the full pipeline sent for <paramref name="query"/>, which was looked up
    /// with <paramref name="index"/> and <paramref name="scope"/>. The caller offers only answers that
    /// come from the catalog (not from a recursor); SERVFAIL is never kept.
    /// </summary>
    public void Offer(ulong index, object scope, ReadOnlySpan<byte> query, ReadOnlySpan<byte> response)
    {
        if (query.Length < HeaderSize || response.Length < HeaderSize || (response[3] & 0x0F) == ServerFailure) return;
        if (Variant.Parse(response) is not { } variant) return;
        var generation = _current;
        if (!generation.Matches(index, scope) || generation.Entries.Count >= _capacity)
        {
            var fresh = new Generation(index, scope);
            // Another thread may have started the generation already; either one is correct.
            generation = Interlocked.CompareExchange(ref _current, fresh, generation) == generation ? fresh : _current;
            if (!generation.Matches(index, scope)) return;
        }
        var now = _time.GetTimestamp();
        if (!generation.Lookup.TryGetValue(query[2..], out var entry) || _time.GetElapsedTime(entry.Created, now) >= _maxAge)
        {
            entry = new Entry(now, VariantsWanted(response));
            generation.Entries[query[2..].ToArray()] = entry;
        }
        entry.Add(variant);
    }

    /// <summary>Every order of the answer and authority records up to 3! = 6, else 16 random ones.</summary>
    private static int VariantsWanted(ReadOnlySpan<byte> response)
    {
        var shuffled = BinaryPrimitives.ReadUInt16BigEndian(response[6..]) + BinaryPrimitives.ReadUInt16BigEndian(response[8..]);
        var wanted = 1;
        for (var n = 2; n <= shuffled && wanted < MaxVariants; n++) wanted *= n;
        return Math.Min(wanted, MaxVariants);
    }

    /// <summary>One encoding: its bytes with ID and SOA serials zeroed, and where the serials go.</summary>
    private sealed record Variant(byte[] Bytes, int[] SerialOffsets)
    {
        public static Variant? Parse(ReadOnlySpan<byte> response)
        {
            if (WireRecords.SoaSerialOffsets(response) is not { } offsets) return null;
            var bytes = response.ToArray();
            bytes[0] = bytes[1] = 0;
            foreach (var offset in offsets) bytes.AsSpan(offset, 4).Clear();
            return new Variant(bytes, offsets);
        }

        public bool SameAs(Variant other) => Bytes.AsSpan().SequenceEqual(other.Bytes);
    }

    private sealed class Entry(long created, int wanted)
    {
        private readonly object _gate = new();
        private int _tries;
        // Written under the lock, read without it: the array is replaced, never changed.
        private volatile Variant[] _variants = [];
        private volatile bool _complete;

        public long Created { get; } = created;
        public Variant[] Variants => _variants;
        public bool Complete => _complete;

        public void Add(Variant variant)
        {
            lock (_gate)
            {
                if (_complete) return;
                _tries++;
                if (!_variants.Any(v => v.SameAs(variant))) _variants = [.. _variants, variant];
                _complete = _variants.Length >= wanted || _tries >= wanted * TriesPerVariant;
            }
        }
    }

    private sealed class Generation
    {
        public Generation(ulong index, object scope)
        {
            Index = index;
            Scope = scope;
            Entries = new ConcurrentDictionary<byte[], Entry>(ByteKeyComparer.Instance);
            Lookup = Entries.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public ulong Index { get; }
        public object Scope { get; }
        public ConcurrentDictionary<byte[], Entry> Entries { get; }
        public ConcurrentDictionary<byte[], Entry>.AlternateLookup<ReadOnlySpan<byte>> Lookup { get; }

        public bool Matches(ulong index, object scope) => Index == index && ReferenceEquals(Scope, scope);
    }

    /// <summary>Byte-content keys, looked up by span so a query needs no key allocation.</summary>
    private sealed class ByteKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static ByteKeyComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] key) => GetHashCode((ReadOnlySpan<byte>)key);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        public int GetHashCode(ReadOnlySpan<byte> key)
        {
            var hash = new HashCode();
            hash.AddBytes(key);
            return hash.ToHashCode();
        }
    }
}
