using System.Net;
using System.Net.Sockets;
using Consul.Core.Checks;
using Consul.Core.Model;
using Consul.Core.Util;

namespace Consul.Core.Local;

/// <summary>
/// Registers and removes this agent's services and checks with Consul's rules and
/// messages (agent.AddService / AddCheck): defaults for IDs and names, validation,
/// script-check policy, and starting or stopping the monitors.
/// </summary>
public sealed partial class AgentRegistrar(LocalState local, CheckManager runner, TimeProvider time)
{
    public LocalState Local => local;

    /// <summary>Adds or replaces a service and its checks. fromConfig: defined in a local config file.</summary>
    public NodeService RegisterService(ServiceDefinition def, string token, bool replaceExistingChecks, bool fromConfig)
    {
        if (string.IsNullOrEmpty(def.Name)) throw new RegistrationException("Missing service name");
        if (def.Weights is { } w && (w.Passing < 1 || w.Warning < 0))
            throw new RegistrationException(w.Passing < 1 ? "Invalid Weights: Passing must be greater than 0" : "Invalid Weights: Warning must be greater or equal than 0");
        if (def.Port is < 0 or > 65535) throw new RegistrationException($"Invalid service port: {def.Port}");

        var id = def.EffectiveID;
        var service = new NodeService
        {
            Kind = string.IsNullOrEmpty(def.Kind) ? null : def.Kind,
            ID = id,
            Service = def.Name,
            Tags = def.Tags ?? new(),
            Address = def.Address ?? "",
            TaggedAddresses = WithDefaultTaggedAddresses(def),
            Meta = def.Meta ?? new(),
            Port = def.Port,
            Weights = def.Weights ?? new Weights(),
            EnableTagOverride = def.EnableTagOverride,
        };

        var defs = new List<CheckDefinition>();
        if (def.Check is not null) defs.Add(def.Check);
        if (def.Checks is not null) defs.AddRange(def.Checks);
        var checks = new List<(HealthCheck Check, CheckDefinition Def)>();
        for (var i = 0; i < defs.Count; i++)
        {
            var c = defs[i];
            var checkId = !string.IsNullOrEmpty(c.EffectiveID) ? c.EffectiveID
                : defs.Count == 1 ? $"service:{id}" : $"service:{id}:{i + 1}";
            var name = !string.IsNullOrEmpty(c.Name) ? c.Name : $"Service '{def.Name}' check";
            c.ServiceID = id;
            ValidateCheck(c, fromConfig);
            checks.Add((NewHealthCheck(checkId, name, c, id), c));
        }

        if (replaceExistingChecks)
        {
            var keep = checks.Select(c => c.Check.CheckID).ToHashSet(StringComparer.Ordinal);
            foreach (var existing in local.Checks().Where(c => c.Check.ServiceID == id && !keep.Contains(c.Check.CheckID)))
            {
                local.RemoveCheck(existing.Check.CheckID);
                runner.Stop(existing.Check.CheckID);
                Persistence?.DeleteCheck(existing.Check.CheckID);
            }
        }

        local.AddService(service, token);
        foreach (var (check, cdef) in checks) AddCheck(check, cdef, token);
        PersistRegistration(service, checks, token, fromConfig);
        return service;
    }

    public void DeregisterService(string id)
    {
        var removedChecks = local.RemoveService(id)
            ?? throw new RegistrationException($"Unknown service ID \"{id}\". Ensure that the service ID is passed, not the service name.", notFound: true);
        foreach (var c in removedChecks) runner.Stop(c);
        Persistence?.DeleteService(id);
        foreach (var c in removedChecks) Persistence?.DeleteCheck(c);
    }

    public HealthCheck RegisterCheck(CheckDefinition def, string token, bool fromConfig)
    {
        if (string.IsNullOrEmpty(def.Name)) throw new RegistrationException("Missing check name");
        if (!string.IsNullOrEmpty(def.Status) && !HealthStatus.IsValid(def.Status))
            throw new RegistrationException("Bad check status");
        var serviceId = def.ServiceID ?? "";
        if (serviceId != "" && local.Service(serviceId) is null)
            throw new RegistrationException($"ServiceID \"{serviceId}\" does not exist", notFound: true);
        ValidateCheck(def, fromConfig);
        var id = !string.IsNullOrEmpty(def.EffectiveID) ? def.EffectiveID : def.Name;
        var check = NewHealthCheck(id, def.Name, def, serviceId);
        AddCheck(check, def, token);
        PersistCheck(id, def, token, fromConfig);
        return check;
    }

    public void DeregisterCheck(string id)
    {
        if (!local.RemoveCheck(id))
            throw new RegistrationException($"Unknown check ID \"{id}\". Ensure that the check ID is passed, not the check name.", notFound: true);
        runner.Stop(id);
        Persistence?.DeleteCheck(id);
    }

    /// <summary>Updates a check by hand (agent/check/pass|warn|fail|update). Only TTL checks accept it.</summary>
    public void UpdateCheck(string id, string status, string output)
    {
        if (local.Check(id) is null)
            throw new RegistrationException($"CheckID \"{id}\" does not have associated TTL", notFound: true);
        // Consul answers 404 for a check without a TTL too: its TTL lookup simply misses.
        if (!runner.UpdateTtl(id, status, output))
            throw new RegistrationException($"CheckID \"{id}\" does not have associated TTL", notFound: true);
        PersistTtlState(id, status);
    }

    public void SetNodeMaintenance(bool enable, string reason, string token)
    {
        if (!enable)
        {
            local.RemoveCheck(LocalState.NodeMaintenanceCheckId);
            Persistence?.DeleteCheck(LocalState.NodeMaintenanceCheckId);
            return;
        }
        if (local.Check(LocalState.NodeMaintenanceCheckId) is not null) return;
        AddMaintenanceCheck(new HealthCheck
        {
            CheckID = LocalState.NodeMaintenanceCheckId,
            Name = "Node Maintenance Mode",
            Notes = reason == "" ? "Maintenance mode is enabled for this node, but no reason was provided. This is a default message." : reason,
            Status = HealthStatus.Critical,
            Type = "maintenance",
        }, token);
    }

    public void SetServiceMaintenance(string serviceId, bool enable, string reason, string token)
    {
        if (local.Service(serviceId) is null)
            throw new RegistrationException($"No service registered with ID \"{serviceId}\"", notFound: true);
        var checkId = LocalState.ServiceMaintenancePrefix + serviceId;
        if (!enable)
        {
            local.RemoveCheck(checkId);
            Persistence?.DeleteCheck(checkId);
            return;
        }
        if (local.Check(checkId) is not null) return;
        AddMaintenanceCheck(new HealthCheck
        {
            CheckID = checkId,
            Name = "Service Maintenance Mode",
            Notes = reason == "" ? "Maintenance mode is enabled for this service, but no reason was provided. This is a default message." : reason,
            ServiceID = serviceId,
            Status = HealthStatus.Critical,
            Type = "maintenance",
        }, token);
    }

    /// <summary>Deregisters services whose checks stayed critical past DeregisterCriticalServiceAfter.</summary>
    public IReadOnlyList<string> ReapCriticalServices()
    {
        var reaped = local.ServicesToReap(time.GetUtcNow());
        foreach (var id in reaped)
        {
            try { DeregisterService(id); } catch (RegistrationException) { /* already gone */ }
        }
        return reaped;
    }

    private void AddCheck(HealthCheck check, CheckDefinition def, string token)
    {
        check = WithSavedTtlState(check, def);
        TimeSpan? deregisterAfter = GoDuration.TryParse(def.DeregisterCriticalServiceAfter, out var d) && d > TimeSpan.Zero ? d : null;
        local.AddCheck(check, def, token, deregisterAfter);
        runner.Start(check.CheckID, def, string.IsNullOrEmpty(check.ServiceID) ? null : check.ServiceID);
    }

    // Bad definitions read as the HTTP API words them; the script policy depends on the source.
    private void ValidateCheck(CheckDefinition def, bool fromConfig)
    {
        if (CheckManager.ValidateType(def) is { } problem) throw new RegistrationException($"Invalid check: {problem}");
        if (runner.ValidateForSource(def, remote: !fromConfig) is { } refused) throw new RegistrationException(refused);
    }

    private static HealthCheck NewHealthCheck(string id, string name, CheckDefinition def, string serviceId) => new()
    {
        CheckID = id,
        Name = name,
        Notes = def.Notes ?? "",
        ServiceID = serviceId,
        Status = string.IsNullOrEmpty(def.Status) ? HealthStatus.Critical : def.Status,
        Type = def.CheckType,
        Interval = def.Interval ?? "",
        Timeout = def.Timeout ?? "",
    };

    // The agent fills lan_ipv4/wan_ipv4 (or _ipv6) from the service address when not given.
    private static Dictionary<string, ServiceAddress> WithDefaultTaggedAddresses(ServiceDefinition def)
    {
        var tagged = def.TaggedAddresses is null ? new Dictionary<string, ServiceAddress>() : new(def.TaggedAddresses);
        if (!IPAddress.TryParse(def.Address, out var ip)) return tagged;
        var suffix = ip.AddressFamily == AddressFamily.InterNetwork ? "ipv4" : "ipv6";
        var addr = new ServiceAddress { Address = def.Address!, Port = def.Port };
        tagged.TryAdd($"lan_{suffix}", addr);
        tagged.TryAdd($"wan_{suffix}", addr);
        return tagged;
    }
}
