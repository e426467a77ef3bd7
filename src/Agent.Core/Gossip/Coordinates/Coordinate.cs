using System.Buffers.Binary;

namespace Consul.Core.Gossip.Coordinates;

/// <summary>
/// A Vivaldi network coordinate: a Euclidean position plus a height (access-link latency)
/// and an adjustment term; the distance between two estimates their round-trip time.
/// Field names match Consul's /v1/coordinate JSON (Vec, Error, Adjustment, Height).
/// </summary>
public sealed record Coordinate(double[] Vec, double Error, double Adjustment, double Height)
{
    public const double ZeroThreshold = 1.0e-6;

    public static Coordinate Origin(VivaldiConfig c) => new(new double[c.Dimensionality], c.VivaldiErrorMax, 0.0, c.HeightMin);

    public bool IsValid() => Vec.All(double.IsFinite) && double.IsFinite(Error) && double.IsFinite(Adjustment) && double.IsFinite(Height);

    public bool IsCompatibleWith(Coordinate other) => Vec.Length == other.Vec.Length;

    /// <summary>Estimated RTT between two coordinates.</summary>
    public TimeSpan DistanceTo(Coordinate other)
    {
        var dist = RawDistanceTo(other);
        var adjusted = dist + Adjustment + other.Adjustment;
        if (adjusted > 0.0) dist = adjusted;
        return TimeSpan.FromSeconds(dist);
    }

    internal double RawDistanceTo(Coordinate other) => Magnitude(Diff(Vec, other.Vec)) + Height + other.Height;

    internal Coordinate ApplyForce(VivaldiConfig config, double force, Coordinate other, Random rng)
    {
        var (unit, mag) = UnitVectorAt(Vec, other.Vec, rng);
        var vec = Add(Vec, Mul(unit, force));
        var height = Height;
        if (mag > ZeroThreshold) height = (Height + other.Height) * force / mag + Height;
        return this with { Vec = vec, Height = Math.Max(height, config.HeightMin) };
    }

    public byte[] Encode()
    {
        var b = new byte[1 + 8 * (Vec.Length + 3)];
        b[0] = (byte)Vec.Length;
        var span = b.AsSpan(1);
        for (var i = 0; i < Vec.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(span[(8 * i)..], Vec[i]);
        var o = 8 * Vec.Length;
        BinaryPrimitives.WriteDoubleLittleEndian(span[o..], Error);
        BinaryPrimitives.WriteDoubleLittleEndian(span[(o + 8)..], Adjustment);
        BinaryPrimitives.WriteDoubleLittleEndian(span[(o + 16)..], Height);
        return b;
    }

    public static Coordinate? TryDecode(ReadOnlySpan<byte> b)
    {
        if (b.Length < 1) return null;
        int dim = b[0];
        if (dim == 0 || b.Length != 1 + 8 * (dim + 3)) return null;
        var span = b[1..];
        var vec = new double[dim];
        for (var i = 0; i < dim; i++) vec[i] = BinaryPrimitives.ReadDoubleLittleEndian(span[(8 * i)..]);
        var o = 8 * dim;
        var c = new Coordinate(vec, BinaryPrimitives.ReadDoubleLittleEndian(span[o..]),
            BinaryPrimitives.ReadDoubleLittleEndian(span[(o + 8)..]), BinaryPrimitives.ReadDoubleLittleEndian(span[(o + 16)..]));
        return c.IsValid() ? c : null;
    }

    private static double[] Diff(double[] a, double[] b) { var r = new double[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = a[i] - b[i]; return r; }
    private static double[] Add(double[] a, double[] b) { var r = new double[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = a[i] + b[i]; return r; }
    private static double[] Mul(double[] a, double f) { var r = new double[a.Length]; for (var i = 0; i < a.Length; i++) r[i] = a[i] * f; return r; }
    private static double Magnitude(double[] a) { var s = 0.0; foreach (var x in a) s += x * x; return Math.Sqrt(s); }

    /// <summary>Unit vector pointing from b to a, and the distance; a random direction if they coincide.</summary>
    private static (double[] Unit, double Mag) UnitVectorAt(double[] a, double[] b, Random rng)
    {
        var d = Diff(a, b);
        var mag = Magnitude(d);
        if (mag > ZeroThreshold) return (Mul(d, 1.0 / mag), mag);
        for (var tries = 0; tries < 10; tries++)
        {
            var r = new double[a.Length];
            for (var i = 0; i < r.Length; i++) r[i] = rng.NextDouble() - 0.5;
            var m = Magnitude(r);
            if (m > ZeroThreshold) return (Mul(r, 1.0 / m), 0.0);
        }
        return (new double[a.Length], 0.0);
    }
}
