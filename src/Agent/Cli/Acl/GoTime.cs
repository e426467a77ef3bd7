using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Consul.Agent.Cli.Acl;

/// <summary>
/// A Go time.Time as decoded from RFC 3339 JSON: wall clock to the second, nanoseconds and the
/// zone offset kept apart so both of Go's renderings come out unchanged (JSON's RFC3339Nano and
/// the String() form "2006-01-02 15:04:05.999999999 -0700 MST" the pretty formatters print).
/// </summary>
internal readonly partial record struct GoTime(DateTime Wall, int Nanos, TimeSpan Offset)
{
    /// <summary>Go's zero time, 0001-01-01T00:00:00Z.</summary>
    public static GoTime Zero => new(DateTime.MinValue, 0, TimeSpan.Zero);

    public bool IsZero => Wall == DateTime.MinValue && Nanos == 0 && Offset == TimeSpan.Zero;

    public static bool TryParse(string text, out GoTime value)
    {
        value = Zero;
        var m = Rfc3339().Match(text);
        if (!m.Success) return false;
        if (!DateTime.TryParseExact(m.Groups["s"].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var wall)) return false;
        var frac = m.Groups["f"].Value;
        var nanos = frac.Length == 0 ? 0 : int.Parse(frac.PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
        var offset = TimeSpan.Zero;
        var z = m.Groups["z"].Value;
        if (z is not ("Z" or "z"))
        {
            var sign = z[0] == '-' ? -1 : 1;
            offset = sign * new TimeSpan(int.Parse(z[1..3], CultureInfo.InvariantCulture), int.Parse(z[4..6], CultureInfo.InvariantCulture), 0);
        }
        value = new GoTime(wall, nanos, offset);
        return true;
    }

    /// <summary>time.Time.MarshalJSON (RFC3339Nano): trailing zeros of the fraction dropped, "Z" for UTC.</summary>
    public string ToRfc3339Nano()
    {
        var zone = Offset == TimeSpan.Zero ? "Z" : OffsetText(withColon: true);
        return Wall.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction() + zone;
    }

    /// <summary>
    /// time.Time.String(). A zero offset is UTC; other offsets print as Go's unnamed fixed zone
    /// ("-0400 -0400"), which is what Go shows unless the offset matches the CLI host's own zone.
    /// </summary>
    public override string ToString()
    {
        var offset = OffsetText(withColon: false);
        var name = Offset == TimeSpan.Zero ? "UTC" : offset;
        return Wall.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + Fraction() + " " + offset + " " + name;
    }

    private string Fraction() =>
        Nanos == 0 ? "" : "." + Nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');

    private string OffsetText(bool withColon)
    {
        var sign = Offset < TimeSpan.Zero ? '-' : '+';
        var abs = Offset.Duration();
        return $"{sign}{abs.Hours:D2}{(withColon ? ":" : "")}{abs.Minutes:D2}";
    }

    [GeneratedRegex(@"^(?<s>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(?<f>\d{1,9})\d*)?(?<z>[Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}

/// <summary>Reads RFC 3339 strings (null stays null) and writes Go's RFC3339Nano.</summary>
internal sealed class GoTimeJsonConverter : JsonConverter<GoTime>
{
    public override GoTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return GoTime.Zero;
        var text = reader.GetString() ?? "";
        if (!GoTime.TryParse(text, out var t))
            throw new JsonException($"parsing time {GoFlagSet.GoQuote(text)} as \"2006-01-02T15:04:05Z07:00\": cannot parse");
        return t;
    }

    public override void Write(Utf8JsonWriter writer, GoTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToRfc3339Nano());
}

/// <summary>Go's time.Duration in JSON: integer nanoseconds (a duration string is accepted too).</summary>
internal sealed class GoNanosJsonConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetInt64();
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrEmpty(text)) return 0;
                if (Consul.Core.Util.GoDuration.TryParse(text, out var d)) return d.Ticks * 100;
                throw new JsonException($"time: invalid duration {GoFlagSet.GoQuote(text)}");
            default:
                return 0;
        }
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
