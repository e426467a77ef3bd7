using Microsoft.AspNetCore.Components;

namespace Consul.Ui.Views;

/// <summary>The login page's address and the safe handling of where it sends the user back to.</summary>
public static class LoginLinks
{
    public const string LoginPage = "login";

    /// <summary>"login?returnUrl=services%2Fweb" for the current page (relative to the UI's base).</summary>
    public static string To(NavigationManager nav)
    {
        var here = nav.ToBaseRelativePath(nav.Uri);
        var path = here.Split('?', '#')[0];
        return path is "" or LoginPage ? LoginPage : LoginPage + "?returnUrl=" + Uri.EscapeDataString(here);
    }

    /// <summary>
    /// A return address only if it stays inside the UI: relative, no scheme, no "//" or "\"
    /// that a browser would read as another host. Anything else goes to the dashboard.
    /// </summary>
    public static string SafeReturn(string? returnUrl)
    {
        if (string.IsNullOrWhiteSpace(returnUrl)) return "";
        var r = returnUrl.Trim();
        var path = r.Split('?', '#')[0];
        return r.StartsWith('/') || r.Contains('\\') || path.Contains(':') ? "" : r;
    }
}
