using System.Text.Json;
using Consul.Core.Local;
using Consul.Core.Model;
using Consul.Tests.Gossip;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Consul.Tests.Local;

public sealed class PersistenceStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("consul-persist-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
    private readonly ListLogger _log = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LocalPersistence Store() => new(_dir, _time, _log);

    [Fact]
    public void Dev_agents_and_agents_without_a_data_dir_keep_registrations_in_memory()
    {
        Assert.Null(LocalPersistence.ForAgent(_dir, dev: true, _time, NullLogger.Instance));
        Assert.Null(LocalPersistence.ForAgent("", dev: false, _time, NullLogger.Instance));
        Assert.NotNull(LocalPersistence.ForAgent(_dir, dev: false, _time, NullLogger.Instance));
    }

    [Fact]
    public void File_names_are_the_sha256_of_the_id_as_in_consul()
    {
        Assert.Equal("4b5e57f6eb2f42b9039b3d1e13929295f231749c510cbe341cd68036d9af97e2", LocalPersistence.FileNameFor("web"));
        Assert.Equal(Path.Combine(_dir, "services", LocalPersistence.FileNameFor("web")), Store().ServicePath("web"));
        Assert.Equal(Path.Combine(_dir, "checks", "state", LocalPersistence.FileNameFor("c")), Store().CheckStatePath("c"));
    }

    [Fact]
    public void A_saved_service_is_owner_only_json_with_token_and_leaves_no_temp_file()
    {
        var store = Store();
        store.SaveService(new NodeService { ID = "web1", Service = "web", Port = 80, CreateIndex = 7 }, "tok");

        var path = store.ServicePath("web1");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.ServicesDir));
        Assert.Equal([path], Directory.GetFiles(store.ServicesDir));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("tok", doc.RootElement.GetProperty("Token").GetString());
        Assert.Equal("remote", doc.RootElement.GetProperty("Source").GetString());
        Assert.Equal("web", doc.RootElement.GetProperty("Service").GetProperty("Service").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("Service").GetProperty("CreateIndex").GetInt32());

        var loaded = Assert.Single(store.LoadServices());
        Assert.Equal(path, loaded.File);
        Assert.Equal(80, loaded.Record.Service!.Port);
    }

    [Fact]
    public void Saving_again_replaces_the_file_and_a_stale_temp_file_does_not_keep_its_mode()
    {
        var store = Store();
        var path = store.CheckPath("c1");
        Directory.CreateDirectory(store.ChecksDir);
        File.WriteAllText(path + ".tmp", "half written");
        File.SetUnixFileMode(path + ".tmp", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        store.SaveCheck(new HealthCheck { CheckID = "c1", Name = "one" }, new CheckDefinition { TTL = "10s" }, "");
        store.SaveCheck(new HealthCheck { CheckID = "c1", Name = "two" }, new CheckDefinition { TTL = "10s" }, "");

        Assert.Equal([path], Directory.GetFiles(store.ChecksDir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var loaded = Assert.Single(store.LoadChecks());
        Assert.Equal("two", loaded.Record.Check!.Name);
        Assert.Equal("10s", loaded.Record.ChkType!.TTL);
    }

    [Fact]
    public void Corrupt_and_temporary_files_are_logged_and_skipped_without_leaking_the_token()
    {
        var store = Store();
        store.SaveService(new NodeService { ID = "good", Service = "good" }, "");
        File.WriteAllText(Path.Combine(store.ServicesDir, "broken"), "{\"Token\":\"s3cr3t-token\",\"Service\":{\"ID\":");
        File.WriteAllText(Path.Combine(store.ServicesDir, "empty"), "{\"Token\":\"s3cr3t-token\"}");
        File.WriteAllText(Path.Combine(store.ServicesDir, "whatever.tmp"), "{\"Token\":\"s3cr3t-token\"");

        var loaded = store.LoadServices();

        Assert.Equal("good", Assert.Single(loaded).Record.Service!.ID);
        Assert.True(_log.Contains("Failed decoding service file"), string.Join('\n', _log.Lines));
        Assert.True(_log.Contains("Ignoring temporary service file"));
        Assert.DoesNotContain(_log.Lines, l => l.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_state_is_restored_until_its_ttl_runs_out_then_purged()
    {
        var store = Store();
        store.SaveCheckState("ttl", "passing", "fine", TimeSpan.FromSeconds(30));

        var fresh = store.LoadCheckState("ttl");
        Assert.NotNull(fresh);
        Assert.Equal(("passing", "fine"), (fresh.Status, fresh.Output));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds(), fresh.Expires);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(store.LoadCheckState("ttl"));
        Assert.False(File.Exists(store.CheckStatePath("ttl")));
    }

    [Fact]
    public void Corrupt_check_state_is_purged()
    {
        var store = Store();
        Directory.CreateDirectory(store.CheckStateDir);
        File.WriteAllText(store.CheckStatePath("ttl"), "not json");

        Assert.Null(store.LoadCheckState("ttl"));
        Assert.False(File.Exists(store.CheckStatePath("ttl")));
        Assert.True(_log.Contains("failed decoding check state"));
    }

    [Fact]
    public void Deleting_a_check_removes_its_definition_and_state()
    {
        var store = Store();
        store.SaveCheck(new HealthCheck { CheckID = "c" }, new CheckDefinition { TTL = "1m" }, "");
        store.SaveCheckState("c", "passing", "", TimeSpan.FromMinutes(1));

        store.DeleteCheck("c");

        Assert.False(File.Exists(store.CheckPath("c")));
        Assert.False(File.Exists(store.CheckStatePath("c")));
        Assert.Empty(store.LoadChecks());
    }

    [Fact]
    public void A_missing_data_dir_loads_nothing()
    {
        var store = new LocalPersistence(Path.Combine(_dir, "not-yet"), _time, _log);
        Assert.Empty(store.LoadServices());
        Assert.Empty(store.LoadChecks());
        Assert.Null(store.LoadCheckState("x"));
    }
}
