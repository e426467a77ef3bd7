using System.Reflection;

namespace Consul.Agent.Http;

/// <summary>The Consul version this agent speaks, taken from the assembly.</summary>
public static class AgentVersion
{
    public static readonly string Version =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.21.0";

    public const string Revision = "consulweb";
    public static readonly string BuildDate = File.GetLastWriteTimeUtc(typeof(AgentVersion).Assembly.Location).ToString("yyyy-MM-ddTHH:mm:ssZ");
}
