using Consul.Agent.Config;
using Consul.Core.Local;

namespace Consul.Agent.Hosting;

/// <summary>Services and checks defined in config files, registered as local definitions.</summary>
public static class ConfigRegistrations
{
    public static void Apply(AgentConfig config, AgentRegistrar registrar)
    {
        foreach (var service in config.Services)
            registrar.RegisterService(service, "", replaceExistingChecks: true, fromConfig: true);
        foreach (var check in config.Checks)
            registrar.RegisterCheck(check, "", fromConfig: true);
    }
}
