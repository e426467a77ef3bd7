using System.Text;

namespace Consul.Core.Checks;

/// <summary>
/// Keeps the last Capacity bytes written and counts all of them, like the circular buffer
/// (armon/circbuf) Consul captures check output in. Safe for concurrent writers.
/// </summary>
internal sealed class OutputBuffer
{
    private readonly byte[] _data;
    private long _total;
    private readonly object _lock = new();

    public OutputBuffer(int capacity) => _data = new byte[Math.Max(1, capacity)];

    public int Capacity => _data.Length;
    public long TotalWritten { get { lock (_lock) return _total; } }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        lock (_lock)
        {
            // Only the tail that can still be kept matters.
            var skip = Math.Max(0, bytes.Length - _data.Length);
            var pos = (int)((_total + skip) % _data.Length);
            foreach (var b in bytes[skip..])
            {
                _data[pos] = b;
                pos = (pos + 1) % _data.Length;
            }
            _total += bytes.Length;
        }
    }

    public byte[] ToArray()
    {
        lock (_lock)
        {
            if (_total <= _data.Length) return _data.AsSpan(0, (int)_total).ToArray();
            var start = (int)(_total % _data.Length);
            return [.. _data.AsSpan(start), .. _data.AsSpan(0, start)];
        }
    }

    public override string ToString() => Encoding.UTF8.GetString(ToArray());

    /// <summary>Script and Docker output: "Captured N of M bytes\n...\n&lt;tail&gt;" when cut.</summary>
    public string ToCapturedOutput()
    {
        var bytes = ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        var total = TotalWritten;
        return total > bytes.Length ? $"Captured {bytes.Length} of {total} bytes\n...\n{text}" : text;
    }

    /// <summary>TTL output: the first max bytes + " ... (captured max of total bytes)" when longer.</summary>
    public static string TruncateTtlOutput(string output, int max)
    {
        var bytes = Encoding.UTF8.GetBytes(output);
        if (bytes.Length <= max) return output;
        return $"{Encoding.UTF8.GetString(bytes, 0, max)} ... (captured {max} of {bytes.Length} bytes)";
    }
}
