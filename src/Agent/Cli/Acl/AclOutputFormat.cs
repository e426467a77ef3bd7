namespace Consul.Agent.Cli.Acl;

/// <summary>The -format values every ACL formatter accepts (token.GetSupportedFormats and friends).</summary>
internal enum AclOutputFormat { Pretty, Json }

internal static class AclOutputFormats
{
    public const string Usage = "Output format {pretty|json}";

    /// <summary>NewFormatter: "pretty" or "json"; anything else is Consul's "Unknown format: X".</summary>
    public static bool TryParse(string text, out AclOutputFormat format, out string error)
    {
        error = "";
        switch (text)
        {
            case "pretty": format = AclOutputFormat.Pretty; return true;
            case "json": format = AclOutputFormat.Json; return true;
            default:
                format = AclOutputFormat.Pretty;
                error = $"Unknown format: {text}";
                return false;
        }
    }

    /// <summary>Go's %x of a []byte: lower-case hex, empty for nil.</summary>
    public static string Hex(byte[]? bytes) => bytes is null ? "" : Convert.ToHexStringLower(bytes);
}
