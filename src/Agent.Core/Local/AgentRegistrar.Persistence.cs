using Consul.Core.Model;
using Consul.Core.Util;

namespace Consul.Core.Local;

// The data-dir side of registration (Consul's persistService / persistCheck /
// persistCheckState and their purges). Only the HTTP API's registrations are written;
// config-file definitions are reloaded from config and never persisted.
public sealed partial class AgentRegistrar
{
    /// <summary>Where API registrations are kept across restarts; null keeps them in memory only.</summary>
    public LocalPersistence? Persistence { get; private set; }

    /// <summary>Set once at start, before any registration (null: -dev or no data dir).</summary>
    public void UsePersistence(LocalPersistence? persistence) => Persistence = persistence;

    /// <summary>
    /// Re-registers what the API registered before a restart. Call after the config-file
    /// registrations (config wins on conflict) and before anti-entropy's first sync.
    /// </summary>
    public void RestorePersisted()
    {
        if (Persistence is { } store) PersistedRestore.Run(this, store);
    }

    /// <summary>A check from a persisted file: validated as at registration, then run again.</summary>
    internal void RestoreCheck(HealthCheck check, CheckDefinition? def, string token, bool fromConfig)
    {
        if (check.ServiceID != "" && Local.Service(check.ServiceID) is null)
            throw new RegistrationException($"ServiceID \"{check.ServiceID}\" does not exist", notFound: true);
        if (def is null)
        {
            Local.AddCheck(check, null, token);
            return;
        }
        ValidateCheck(def, fromConfig);
        AddCheck(check, def, token);
    }

    // Consul persists maintenance checks too, so maintenance survives a restart.
    private void AddMaintenanceCheck(HealthCheck check, string token)
    {
        Local.AddCheck(check, null, token);
        Persistence?.SaveCheck(Local.Check(check.CheckID)?.Check ?? check, null, token);
    }

    // An ID a config file defines is the config's from now on, so a persisted copy from an
    // earlier API registration is dropped (Consul purges it on load: config wins).
    private void PersistRegistration(NodeService service, List<(HealthCheck Check, CheckDefinition Def)> checks, string token, bool fromConfig)
    {
        if (Persistence is not { } store) return;
        if (fromConfig)
        {
            store.DeleteService(service.ID);
            foreach (var (check, _) in checks) store.DeleteCheckDefinition(check.CheckID);
            return;
        }
        store.SaveService(Local.Service(service.ID)?.Service ?? service, token);
        foreach (var (check, def) in checks) store.SaveCheck(Local.Check(check.CheckID)?.Check ?? check, def, token);
    }

    private void PersistCheck(string id, CheckDefinition def, string token, bool fromConfig)
    {
        if (Persistence is not { } store) return;
        if (fromConfig) store.DeleteCheckDefinition(id);
        else if (Local.Check(id) is { } registered) store.SaveCheck(registered.Check, def, token);
    }

    // The TTL check comes back in this state after a restart, until its TTL would have run out.
    // Config-file TTL checks too: Consul persists the state of every TTL check.
    private void PersistTtlState(string id, string status)
    {
        if (Persistence is { } store && Local.Check(id) is { Definition.TTL: { } ttlText } updated && GoDuration.TryParse(ttlText, out var ttl))
            store.SaveCheckState(id, status, updated.Check.Output, ttl);
    }

    // A TTL check resumes the status it was last given, unless that has gone stale (loadCheckState).
    private HealthCheck WithSavedTtlState(HealthCheck check, CheckDefinition def) =>
        def.CheckType == "ttl" && Persistence?.LoadCheckState(check.CheckID) is { } saved
            ? check with { Status = saved.Status, Output = saved.Output }
            : check;
}
