using System.Text.Json;
using System.Text.Json.Serialization;
using Consul.Core.Util;

namespace Consul.Core.Acl;

/// <summary>Go time.Duration in JSON: accepts "1h30m" or integer nanoseconds; writes nanoseconds like encoding/json.</summary>
public sealed class GoDurationJsonConverter : JsonConverter<TimeSpan?>
{
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return TimeSpan.FromTicks(reader.GetInt64() / 100);
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrEmpty(text)) return null;
                if (GoDuration.TryParse(text, out var d)) return d;
                throw new JsonException($"time: invalid duration \"{text}\"");
            default:
                throw new JsonException("expected a duration string or number");
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v.Ticks * 100);
        else writer.WriteNullValue();
    }
}
