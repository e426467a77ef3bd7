using Consul.Core.Util;

namespace Consul.Core.Acl;

/// <summary>A token write that Consul would refuse; the message is Consul's.</summary>
public sealed class AclTokenValidationException(string message) : Exception(message);

/// <summary>
/// Token-create expiry rules (Consul's token writer): ExpirationTTL becomes
/// ExpirationTime = CreateTime + TTL, and the lifetime must lie within
/// acl.token_min_expiration_ttl (default 1m) and acl.token_max_expiration_ttl (default 24h).
/// </summary>
public static class AclTokenExpiry
{
    public static readonly TimeSpan DefaultMinTtl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultMaxTtl = TimeSpan.FromHours(24);

    /// <summary>Stamps CreateTime and applies/validates expiry for a token being created.</summary>
    public static AclToken ForCreate(AclToken token, DateTimeOffset now, TimeSpan? minTtl = null, TimeSpan? maxTtl = null)
    {
        var min = minTtl ?? DefaultMinTtl;
        var max = maxTtl ?? DefaultMaxTtl;
        token = token with { CreateTime = now };

        if (token.ExpirationTTL is { } ttl && ttl != TimeSpan.Zero)
        {
            if (ttl < TimeSpan.Zero)
                throw new AclTokenValidationException($"Token Expiration TTL '{GoDuration.Format(ttl)}' should be > 0");
            if (token.HasExpirationTime)
                throw new AclTokenValidationException("Token Expiration TTL and Expiration Time cannot both be set");
        }
        token = token.ApplyExpirationTtl();

        if (token.HasExpirationTime)
        {
            var expires = token.ExpirationTime!.Value;
            if (expires < token.CreateTime)
                throw new AclTokenValidationException("ExpirationTime cannot be before CreateTime");
            var expiresIn = expires - token.CreateTime;
            if (expiresIn > max)
                throw new AclTokenValidationException(
                    $"ExpirationTime cannot be more than {GoDuration.Format(max)} in the future (was {GoDuration.Format(expiresIn)})");
            if (expiresIn < min)
                throw new AclTokenValidationException(
                    $"ExpirationTime cannot be less than {GoDuration.Format(min)} in the future (was {GoDuration.Format(expiresIn)})");
        }
        return token;
    }
}
