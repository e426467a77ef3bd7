using Consul.Core.Checks;
using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Tests.Gossip;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Local;

/// <summary>Registrations through AgentRegistrar survive an agent restart on the same data dir.</summary>
public sealed class PersistenceRestoreTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("consul-restore-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly List<Agent> _agents = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var a in _agents) await a.Checks.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A fresh agent on the shared data dir (a restart), config-file registrations applied first.</summary>
    private Agent Start(Action<AgentRegistrar>? config = null, bool persist = true)
    {
        var log = new ListLogger();
        var local = new LocalState(new AgentIdentity { NodeName = "n1", NodeId = "id" }, _time);
        var checks = new CheckManager(local, new CheckManagerOptions { NodeName = "n1", Random = new Random(1) }, _time, NullLoggerFactory.Instance);
        var registrar = new AgentRegistrar(local, checks, _time);
        registrar.UsePersistence(persist ? new LocalPersistence(_dir, _time, log) : null);
        config?.Invoke(registrar);
        registrar.RestorePersisted();
        var agent = new Agent(registrar, checks, log);
        _agents.Add(agent);
        return agent;
    }

    private sealed record Agent(AgentRegistrar Registrar, CheckManager Checks, ListLogger Log)
    {
        public LocalState Local => Registrar.Local;
        public LocalPersistence Store => Registrar.Persistence!;
    }

    private static ServiceDefinition Web(string id = "web1", string ttl = "30s") => new()
    {
        ID = id, Name = "web", Port = 8080, Tags = ["v1"],
        Check = new CheckDefinition { CheckID = "web-ttl", Name = "web alive", TTL = ttl },
    };

    private string[] FilesUnder(string sub) =>
        Directory.Exists(Path.Combine(_dir, sub)) ? Directory.GetFiles(Path.Combine(_dir, sub)) : [];

    [Fact]
    public void An_api_service_and_its_check_come_back_with_token_and_a_running_check()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "svc-token", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.RegisterCheck(new CheckDefinition { ID = "disk", Name = "disk", TTL = "1m", Notes = "n" }, "chk-token", fromConfig: false);

        var second = Start();

        var svc = second.Local.Service("web1");
        Assert.NotNull(svc);
        Assert.Equal(("web", 8080, "svc-token"), (svc.Service.Service, svc.Service.Port, svc.Token));
        Assert.Equal(["v1"], svc.Service.Tags);
        var check = second.Local.Check("web-ttl");
        Assert.NotNull(check);
        Assert.Equal(("web1", "web", HealthStatus.Critical, "ttl"), (check.Check.ServiceID, check.Check.ServiceName, check.Check.Status, check.Check.Type));
        Assert.Equal("30s", check.Definition!.TTL);
        Assert.Equal("svc-token", check.Token);
        Assert.Equal("chk-token", second.Local.Check("disk")!.Token);
        Assert.Equal("n", second.Local.Check("disk")!.Check.Notes);
        Assert.Contains("web-ttl", second.Checks.Running);
        Assert.Contains("disk", second.Checks.Running);
        // The restored TTL check accepts updates again.
        second.Registrar.UpdateCheck("web-ttl", HealthStatus.Passing, "ok");
        Assert.Equal(HealthStatus.Passing, second.Local.Check("web-ttl")!.Check.Status);
    }

    [Fact]
    public void A_ttl_checks_last_status_is_restored_while_its_ttl_has_not_run_out()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.UpdateCheck("web-ttl", HealthStatus.Warning, "slow disk");

        _time.Advance(TimeSpan.FromSeconds(10));
        var second = Start();

        var check = second.Local.Check("web-ttl")!.Check;
        Assert.Equal((HealthStatus.Warning, "slow disk"), (check.Status, check.Output));
    }

    [Fact]
    public void A_stale_ttl_status_is_not_restored_and_its_file_is_removed()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.UpdateCheck("web-ttl", HealthStatus.Passing, "ok");
        Assert.True(File.Exists(first.Store.CheckStatePath("web-ttl")));

        _time.Advance(TimeSpan.FromSeconds(31));
        var second = Start();

        Assert.Equal(HealthStatus.Critical, second.Local.Check("web-ttl")!.Check.Status);
        Assert.False(File.Exists(second.Store.CheckStatePath("web-ttl")));
    }

    [Fact]
    public void Deregistering_removes_the_files_and_nothing_comes_back()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.UpdateCheck("web-ttl", HealthStatus.Passing, "ok");
        first.Registrar.RegisterCheck(new CheckDefinition { ID = "disk", Name = "disk", TTL = "1m" }, "", fromConfig: false);
        Assert.Single(FilesUnder("services"));
        Assert.Equal(2, FilesUnder("checks").Length);

        first.Registrar.DeregisterService("web1");
        first.Registrar.DeregisterCheck("disk");

        Assert.Empty(FilesUnder("services"));
        Assert.Empty(FilesUnder("checks"));
        Assert.Empty(FilesUnder("checks/state"));
        var second = Start();
        Assert.Empty(second.Local.Services());
        Assert.Empty(second.Local.Checks());
    }

    [Fact]
    public void Re_registering_with_replace_existing_checks_removes_the_dropped_checks_file()
    {
        var first = Start();
        var def = Web();
        def.Checks = [new CheckDefinition { CheckID = "extra", Name = "extra", TTL = "1m" }];
        first.Registrar.RegisterService(def, "", replaceExistingChecks: false, fromConfig: false);
        Assert.True(File.Exists(first.Store.CheckPath("extra")));

        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: true, fromConfig: false);

        Assert.False(File.Exists(first.Store.CheckPath("extra")));
        var second = Start();
        Assert.Null(second.Local.Check("extra"));
        Assert.NotNull(second.Local.Check("web-ttl"));
    }

    [Fact]
    public void Config_file_registrations_are_not_persisted()
    {
        var first = Start(r =>
        {
            r.RegisterService(Web("cfg"), "", replaceExistingChecks: true, fromConfig: true);
            r.RegisterCheck(new CheckDefinition { ID = "cfg-check", Name = "c", TTL = "1m" }, "", fromConfig: true);
        });
        Assert.NotNull(first.Local.Service("cfg"));
        Assert.Empty(FilesUnder("services"));
        Assert.Empty(FilesUnder("checks"));

        var second = Start();
        Assert.Empty(second.Local.Services());
    }

    [Fact]
    public void A_config_file_definition_wins_over_a_persisted_one_and_purges_it()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "api", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.RegisterCheck(new CheckDefinition { ID = "disk", Name = "api disk", TTL = "1m" }, "", fromConfig: false);

        var second = Start(r =>
        {
            var fromConfig = Web();
            fromConfig.Port = 9090;
            r.RegisterService(fromConfig, "", replaceExistingChecks: true, fromConfig: true);
            r.RegisterCheck(new CheckDefinition { ID = "disk", Name = "config disk", TTL = "1m" }, "", fromConfig: true);
        });

        Assert.Equal(9090, second.Local.Service("web1")!.Service.Port);
        Assert.Equal("config disk", second.Local.Check("disk")!.Check.Name);
        Assert.Empty(FilesUnder("services"));
        Assert.Empty(FilesUnder("checks"));
    }

    [Fact]
    public void A_ttl_check_from_a_config_file_keeps_its_status_across_a_restart()
    {
        void Config(AgentRegistrar r) => r.RegisterCheck(new CheckDefinition { ID = "cfg-ttl", Name = "c", TTL = "1m" }, "", fromConfig: true);
        var first = Start(Config);
        first.Registrar.UpdateCheck("cfg-ttl", HealthStatus.Passing, "up");

        var second = Start(Config);

        Assert.Equal((HealthStatus.Passing, "up"), (second.Local.Check("cfg-ttl")!.Check.Status, second.Local.Check("cfg-ttl")!.Check.Output));
        Assert.Empty(FilesUnder("checks"));
    }

    [Fact]
    public void Maintenance_mode_survives_a_restart_until_it_is_disabled()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.SetServiceMaintenance("web1", true, "upgrading", "");
        first.Registrar.SetNodeMaintenance(true, "", "");

        var second = Start();
        var maint = second.Local.Check(LocalState.ServiceMaintenancePrefix + "web1");
        Assert.NotNull(maint);
        Assert.Equal(("upgrading", HealthStatus.Critical, "maintenance"), (maint.Check.Notes, maint.Check.Status, maint.Check.Type));
        Assert.NotNull(second.Local.Check(LocalState.NodeMaintenanceCheckId));

        second.Registrar.SetServiceMaintenance("web1", false, "", "");
        second.Registrar.SetNodeMaintenance(false, "", "");
        var third = Start();
        Assert.Null(third.Local.Check(LocalState.ServiceMaintenancePrefix + "web1"));
        Assert.Null(third.Local.Check(LocalState.NodeMaintenanceCheckId));
        Assert.NotNull(third.Local.Service("web1"));
    }

    [Fact]
    public void Corrupt_files_are_skipped_and_the_rest_is_restored()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        File.WriteAllText(Path.Combine(_dir, "services", "garbage"), "{{{");
        File.WriteAllText(Path.Combine(_dir, "checks", "garbage"), "");

        var second = Start();

        Assert.NotNull(second.Local.Service("web1"));
        Assert.NotNull(second.Local.Check("web-ttl"));
        Assert.True(second.Log.Contains("Failed decoding service file"));
        Assert.True(second.Log.Contains("Failed decoding check file"));
    }

    [Fact]
    public void A_check_whose_service_is_gone_is_not_restored_and_its_file_is_purged()
    {
        var first = Start();
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        File.Delete(first.Store.ServicePath("web1"));

        var second = Start();

        Assert.Null(second.Local.Check("web-ttl"));
        Assert.False(File.Exists(second.Store.CheckPath("web-ttl")));
        Assert.True(second.Log.Contains("Failed to restore check"));
    }

    [Fact]
    public void A_script_check_is_not_restored_once_script_checks_are_disabled()
    {
        var check = new CheckDefinition { ID = "script", Name = "s", Args = ["/bin/true"], Interval = "10s" };
        var store = new LocalPersistence(_dir, _time, NullLogger.Instance);
        store.SaveCheck(new HealthCheck { CheckID = "script", Name = "s", Type = "script" }, check, "");

        var agent = Start();

        Assert.Null(agent.Local.Check("script"));
        Assert.False(File.Exists(store.CheckPath("script")));
    }

    [Fact]
    public void Without_persistence_nothing_is_written()
    {
        var first = Start(persist: false);
        first.Registrar.RegisterService(Web(), "", replaceExistingChecks: false, fromConfig: false);
        first.Registrar.UpdateCheck("web-ttl", HealthStatus.Passing, "");
        first.Registrar.SetNodeMaintenance(true, "", "");

        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
