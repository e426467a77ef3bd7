using Microsoft.Extensions.FileProviders;

namespace Consul.Agent.Hosting;

/// <summary>
/// ui_config.dir (-ui-dir): the web UI served from a directory of the operator's own files
/// instead of the built-in dashboard, at the UI's content path; paths with no file behind them
/// get index.html, as a single-page UI expects.
/// </summary>
public static class CustomUiDir
{
    public static void Map(WebApplication app, string dir, string basePath)
    {
        var root = Path.GetFullPath(dir);
        if (!Directory.Exists(root)) throw new InvalidOperationException($"ui_config.dir {root}: no such directory");
        var files = new PhysicalFileProvider(root);
        app.UseFileServer(new FileServerOptions { FileProvider = files, RequestPath = basePath, EnableDefaultFiles = true });
        app.MapFallbackToFile(basePath + "/{*path:nonfile}", "index.html", new StaticFileOptions { FileProvider = files });
    }
}
