namespace Consul.Tests.Cli;

/// <summary>Per-test fake agent; each xunit test gets a fresh instance and server.</summary>
public abstract class CliTestBase : IAsyncLifetime
{
    protected FakeConsulServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await FakeConsulServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();

    protected Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(Server.Address, args);

    protected Task<CliResult> RunWith(Dictionary<string, string?> env, string stdin, params string[] args) =>
        CliRunner.RunAsync(Server.Address, args, stdin, env);
}
