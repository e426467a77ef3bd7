namespace Consul.Tests.Config;

public sealed class ServiceConfigTests : IDisposable
{
    private readonly ConfigFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void ServiceWithSnakeCaseKeysAndNestedChecks()
    {
        var cfg = _f.LoadJson("""
            { "service": {
                "id": "web-1", "name": "web", "tags": ["v1", "primary"], "address": "10.0.0.9", "port": 8080,
                "meta": { "version": "1" }, "enable_tag_override": true,
                "tagged_addresses": { "lan": { "address": "10.0.0.9", "port": 8080 } },
                "weights": { "passing": 3, "warning": 1 },
                "check": { "id": "web-http", "name": "HTTP", "http": "http://localhost:8080/health", "interval": "10s",
                           "timeout": "1s", "deregister_critical_service_after": "90m", "tls_skip_verify": true,
                           "header": { "X-A": ["1", "2"] }, "method": "POST", "success_before_passing": 2, "failures_before_critical": 3 },
                "checks": [ { "id": "web-tcp", "name": "TCP", "tcp": "localhost:8080", "interval": "5s" },
                            { "name": "ttl", "ttl": "30s", "status": "passing" } ]
            } }
            """, "-bind=127.0.0.2");
        var s = Assert.Single(cfg.Services);
        Assert.Equal(("web-1", "web", "10.0.0.9", 8080), (s.ID, s.Name, s.Address, s.Port));
        Assert.Equal(["v1", "primary"], s.Tags);
        Assert.Equal("1", s.Meta!["version"]);
        Assert.True(s.EnableTagOverride);
        Assert.Equal(8080, s.TaggedAddresses!["lan"].Port);
        Assert.Equal((3, 1), (s.Weights!.Passing, s.Weights.Warning));
        Assert.Equal(["web-tcp", "ttl", "web-http"], s.Checks!.Select(c => c.ID ?? c.Name));
        var http = s.Checks![2];
        Assert.Equal(("http://localhost:8080/health", "10s", "1s", "90m"), (http.HTTP, http.Interval, http.Timeout, http.DeregisterCriticalServiceAfter));
        Assert.True(http.TLSSkipVerify);
        Assert.Equal(["1", "2"], http.Header!["X-A"]);
        Assert.Equal(("POST", 2, 3, 3), (http.Method, http.SuccessBeforePassing, http.FailuresBeforeCritical, http.FailuresBeforeWarning));
        Assert.Equal(4096, http.OutputMaxSize);
        Assert.Equal("passing", s.Checks[1].Status);
    }

    [Fact]
    public void ServiceWithPascalCaseApiKeys()
    {
        var cfg = _f.LoadJson("""
            { "services": [ { "ID": "db1", "Name": "db", "Port": 5432, "EnableTagOverride": true, "Tags": ["x"],
                              "Checks": [ { "CheckID": "db-tcp", "Name": "tcp", "TCP": "localhost:5432", "Interval": "10s",
                                            "DeregisterCriticalServiceAfter": "1m", "ScriptArgs": ["/bin/true"] } ] } ] }
            """, "-bind=127.0.0.2");
        var s = Assert.Single(cfg.Services);
        Assert.Equal(("db1", "db", 5432, true), (s.ID, s.Name, s.Port, s.EnableTagOverride));
        var c = Assert.Single(s.Checks!);
        Assert.Equal(("db-tcp", "localhost:5432", "1m"), (c.ID, c.TCP, c.DeregisterCriticalServiceAfter));
        Assert.Equal(["/bin/true"], c.Args);
    }

    [Fact]
    public void ServicesAndChecksAccumulateAcrossFiles()
    {
        _f.Write("d/a.json", """{ "service": { "name": "a" } }""");
        _f.Write("d/b.json", """{ "service": { "name": "b" }, "services": [ { "name": "c" } ] }""");
        _f.Write("d/c.json", """{ "check": { "name": "n1", "ttl": "10s" }, "checks": [ { "name": "n2", "args": ["/bin/check"], "interval": "5s" } ] }""");
        var cfg = _f.Load("-config-dir=" + Path.Combine(_f.Dir, "d"), "-bind=127.0.0.2");
        Assert.Equal(["a", "c", "b"], cfg.Services.Select(s => s.Name));
        Assert.Equal(["n2", "n1"], cfg.Checks.Select(c => c.Name));
        Assert.Equal(["/bin/check"], cfg.Checks[0].Args);
    }

    [Fact]
    public void DefaultsForServiceFields()
    {
        var s = Assert.Single(_f.LoadJson("""{ "service": { "name": "api" } }""", "-bind=127.0.0.2").Services);
        Assert.Null(s.ID);
        Assert.Equal("api", s.EffectiveID);
        Assert.Equal((1, 1), (s.Weights!.Passing, s.Weights.Warning));
        Assert.Empty(s.Checks!);
        Assert.Null(s.Kind);
    }
}
