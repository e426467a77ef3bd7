using System.Net;

namespace Consul.Tests.Http;

/// <summary>ui_config.dir: the operator's own UI files at /ui instead of the built-in dashboard.</summary>
public sealed class CustomUiDirTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("consul-ui-dir-").FullName;

    public CustomUiDirTests()
    {
        File.WriteAllText(Path.Combine(_dir, "index.html"), "<html>my own ui</html>");
        File.WriteAllText(Path.Combine(_dir, "app.js"), "console.log('ui');");
    }

    [Fact]
    public async Task Files_index_and_single_page_routes_come_from_the_directory()
    {
        await using var agent = await AgentTestHost.StartAsync(AgentTestHost.DefaultConfig() with { UiDir = _dir });
        Assert.Equal("<html>my own ui</html>", await (await agent.Get("/ui/")).Content.ReadAsStringAsync());
        Assert.Equal("console.log('ui');", await (await agent.Get("/ui/app.js")).Content.ReadAsStringAsync());
        Assert.Equal("<html>my own ui</html>", await (await agent.Get("/ui/dc1/services")).Content.ReadAsStringAsync());
        var root = await agent.Get("/");
        Assert.Equal(HttpStatusCode.MovedPermanently, root.StatusCode);
        Assert.Equal("/ui/", root.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await agent.Get("/ui/missing.js")).StatusCode);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
