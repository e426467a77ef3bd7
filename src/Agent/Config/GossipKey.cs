namespace Consul.Agent.Config;

/// <summary>Checks a gossip key the way Go's base64.StdEncoding.DecodeString reports errors.</summary>
internal static class GossipKey
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>Null when valid, else Go's "illegal base64 data at input byte N".</summary>
    public static string? Base64Error(string key)
    {
        var padStart = key.IndexOf('=');
        var dataLength = padStart < 0 ? key.Length : padStart;
        for (var i = 0; i < dataLength; i++)
            if (!Alphabet.Contains(key[i])) return $"illegal base64 data at input byte {i}";
        if (padStart >= 0)
        {
            var pad = key.Length - padStart;
            if (pad > 2 || key[padStart..].Any(ch => ch != '=') || key.Length % 4 != 0 || dataLength % 4 < 2)
                return $"illegal base64 data at input byte {padStart}";
            return null;
        }
        if (key.Length % 4 == 1) return $"illegal base64 data at input byte {key.Length - 1}";
        if (key.Length % 4 != 0) return $"illegal base64 data at input byte {key.Length}";
        return null;
    }
}
