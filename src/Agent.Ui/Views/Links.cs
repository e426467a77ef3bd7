namespace Consul.Ui.Views;

/// <summary>Relative links between pages (resolved against &lt;base href&gt;, so they work under any base path).</summary>
public static class Links
{
    public static string Service(string name) => "services/" + Uri.EscapeDataString(name);
    public static string Node(string name) => "nodes/" + Uri.EscapeDataString(name);

    /// <summary>A KV key or folder; each segment escaped, the "/" separators kept.</summary>
    public static string Kv(string key) => "kv/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
