namespace Consul.Agent.Config;

/// <summary>HCL config files: not supported yet; reported as a parse error naming the file.</summary>
internal static class HclConfigReader
{
    public static Dictionary<string, object?> Parse(string text) =>
        throw new FormatException("HCL configuration is not supported by this agent yet; use JSON");
}
