using System.Globalization;
using System.Text;

namespace Consul.Core.Util;

/// <summary>
/// Go's time.Duration text form ("1h2m3.5s", "300ms", "10us"), which Consul uses in
/// JSON bodies, query strings and config files. Formatting matches Go's String().
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+') { negative = s[0] == '-'; s = s[1..]; }
        if (s.SequenceEqual("0")) return true;
        if (s.IsEmpty) return false;
        double ticks = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0) return false;
            if (!double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.') j++;
            if (j == 0) return false;
            var unit = s[..j].ToString();
            var factor = Array.Find(Units, u => u.Unit == unit).Ticks;
            if (factor == 0) return false;
            ticks += number * factor;
            s = s[j..];
        }
        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        value = TimeSpan.FromTicks((long)Math.Round(negative ? -ticks : ticks));
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"time: invalid duration \"{text}\"");

    /// <summary>Formats like Go's Duration.String(): "0s", "1.5s", "2m30s", "1h0m0s", "300ms".</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        long ticks = d.Ticks;
        if (ticks < 0) { sb.Append('-'); ticks = -ticks; }
        if (ticks < TimeSpan.TicksPerSecond)
        {
            // Sub-second: ms, µs or ns with a fraction.
            if (ticks >= TimeSpan.TicksPerMillisecond) return sb.Append(Fraction(ticks, TimeSpan.TicksPerMillisecond)).Append("ms").ToString();
            if (ticks >= 10) return sb.Append(Fraction(ticks, 10)).Append("µs").ToString();
            return sb.Append(ticks * 100).Append("ns").ToString();
        }
        var hours = ticks / TimeSpan.TicksPerHour;
        ticks -= hours * TimeSpan.TicksPerHour;
        var minutes = ticks / TimeSpan.TicksPerMinute;
        ticks -= minutes * TimeSpan.TicksPerMinute;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || minutes > 0) sb.Append(minutes).Append('m');
        sb.Append(Fraction(ticks, TimeSpan.TicksPerSecond)).Append('s');
        return sb.ToString();
    }

    private static string Fraction(long ticks, long unit)
    {
        var whole = ticks / unit;
        var rest = ticks % unit;
        if (rest == 0) return whole.ToString(CultureInfo.InvariantCulture);
        var digits = (int)Math.Round(Math.Log10(unit));
        var frac = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return $"{whole}.{frac}";
    }
}
