using Consul.Agent.Config;
using Consul.Core.Local;

namespace Consul.Agent.Hosting;

/// <summary>
/// Services and checks defined in config files. On reload the new set is registered and
/// whatever an earlier config defined but the new one does not is deregistered, as Consul's
/// reload does; registrations made through the HTTP API are left alone.
/// </summary>
public sealed class ConfigRegistrations(AgentRegistrar registrar)
{
    private readonly object _gate = new();
    private HashSet<string> _services = new(StringComparer.Ordinal);
    private HashSet<string> _checks = new(StringComparer.Ordinal);

    public void Apply(AgentConfig config)
    {
        lock (_gate)
        {
            var services = new HashSet<string>(StringComparer.Ordinal);
            var checks = new HashSet<string>(StringComparer.Ordinal);
            foreach (var service in config.Services)
                services.Add(registrar.RegisterService(service, "", replaceExistingChecks: true, fromConfig: true).ID);
            foreach (var check in config.Checks)
                checks.Add(registrar.RegisterCheck(check, "", fromConfig: true).CheckID);

            foreach (var gone in _checks.Except(checks))
                if (registrar.Local.Check(gone) is not null) registrar.DeregisterCheck(gone);
            foreach (var gone in _services.Except(services))
                if (registrar.Local.Service(gone) is not null) registrar.DeregisterService(gone);
            _services = services;
            _checks = checks;
        }
    }
}
