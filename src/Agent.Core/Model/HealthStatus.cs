namespace Consul.Core.Model;

/// <summary>Consul's health states, as the strings the API uses.</summary>
public static class HealthStatus
{
    public const string Passing = "passing";
    public const string Warning = "warning";
    public const string Critical = "critical";
    public const string Maintenance = "maintenance";
    /// <summary>Only valid as a filter on /v1/health/state/any.</summary>
    public const string Any = "any";

    public static bool IsValid(string? s) => s is Passing or Warning or Critical;

    /// <summary>Worst of two statuses: critical beats warning beats passing.</summary>
    public static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;

    public static int Rank(string s) => s switch
    {
        Passing => 0,
        Warning => 1,
        Critical => 2,
        Maintenance => 3,
        _ => 2,
    };
}
