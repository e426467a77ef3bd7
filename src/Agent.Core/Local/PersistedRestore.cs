using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Local;

/// <summary>
/// Brings back, at agent start, what the HTTP API registered before a restart (Consul's
/// loadServices / loadChecks for the data dir). Runs after config-file registrations: an ID a
/// config file defines wins and its persisted file is purged. Restored checks start critical
/// (TTL checks take their saved status if it has not expired) and their monitors run again.
/// </summary>
internal static class PersistedRestore
{
    public static (int Services, int Checks) Run(AgentRegistrar registrar, LocalPersistence store)
    {
        var log = store.Log;
        var local = registrar.Local;
        var services = 0;
        // IDs restored in this run: a second file for one of them is a duplicate, but the file
        // just (re)written for it must stay.
        var restored = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (file, record) in store.LoadServices())
        {
            var service = record.Service!;
            if (local.Service(service.ID) is not null)
            {
                log.LogDebug("service exists, not restoring from file: service={Service} file={File}", service.ID, file);
                if (!restored.Contains(service.ID) || file != store.ServicePath(service.ID)) store.Purge(file);
                continue;
            }
            local.AddService(service, record.Token);
            restored.Add(service.ID);
            // A file not named by its ID (another hash) would outlive a deregistration: move it.
            if (file != store.ServicePath(service.ID))
            {
                store.SaveService(service, record.Token, record.Source);
                store.Purge(file);
            }
            services++;
            log.LogDebug("restored service definition from file: service={Service} file={File}", service.ID, file);
        }

        var checks = 0;
        restored.Clear();
        foreach (var (file, record) in store.LoadChecks())
        {
            var check = record.Check!;
            if (local.Check(check.CheckID) is not null)
            {
                log.LogDebug("check exists, not restoring from file: check={Check} file={File}", check.CheckID, file);
                if (!restored.Contains(check.CheckID) || file != store.CheckPath(check.CheckID)) store.Purge(file);
                continue;
            }
            try
            {
                // Critical until proven otherwise, so a restart does not put an unhealthy instance in rotation.
                registrar.RestoreCheck(check with { Status = HealthStatus.Critical }, record.ChkType, record.Token,
                    fromConfig: record.Source == PersistedSource.Local);
                checks++;
                restored.Add(check.CheckID);
                if (file != store.CheckPath(check.CheckID))
                {
                    store.SaveCheck(check, record.ChkType, record.Token, record.Source);
                    store.Purge(file);
                }
                log.LogDebug("restored health check from file: check={Check} file={File}", check.CheckID, file);
            }
            catch (Exception e) when (e is RegistrationException or ArgumentException)
            {
                log.LogWarning("Failed to restore check: check={Check} error={Error}", check.CheckID, e.Message);
                store.Purge(file);
            }
        }
        return (services, checks);
    }
}
