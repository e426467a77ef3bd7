using System.Globalization;

namespace Consul.Agent.Hosting;

/// <summary>
/// hclog's time stamps: text lines use Go's "2006-01-02T15:04:05.000Z0700", JSON lines
/// "2006-01-02T15:04:05.000000Z07:00". Go writes "Z" for UTC and a numeric offset otherwise.
/// </summary>
public static class HclogTime
{
    public static string Text(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + Zone(time.Offset, colon: false);

    public static string Json(DateTimeOffset time) =>
        time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + Zone(time.Offset, colon: true);

    private static string Zone(TimeSpan offset, bool colon)
    {
        if (offset == TimeSpan.Zero) return "Z";
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return $"{sign}{abs.Hours:00}{(colon ? ":" : "")}{abs.Minutes:00}";
    }
}
