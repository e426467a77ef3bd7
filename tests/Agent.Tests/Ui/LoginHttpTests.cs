using System.Net;
using System.Text.RegularExpressions;

namespace Consul.Tests.Ui;

/// <summary>
/// The login over plain HTTP against a real host with ACLs on: the form's antiforgery field,
/// the cookie's flags, what a signed-in request renders, and the logout POST.
/// </summary>
public sealed partial class LoginHttpTests
{
    [Fact(Timeout = 60_000)]
    public async Task Login_sets_a_strict_httponly_cookie_that_filters_pages_and_logout_clears_it()
    {
        var fixture = UiAcls.Limited();
        await using var host = await UiTestHost.StartAsync(fixture, UiAcls.Checker(fixture));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        var cookies = new Dictionary<string, string>();

        // Anonymous (default deny): the services page lists nothing and offers the login.
        var anonymous = await Send(client, cookies, HttpMethod.Get, "ui/services");
        Assert.DoesNotContain("service-link", anonymous.Body);
        Assert.Contains("login?returnUrl=services", anonymous.Body);

        var form = await Send(client, cookies, HttpMethod.Get, "ui/login?returnUrl=services");
        var refused = await Send(client, cookies, HttpMethod.Post, "ui/login", Fields(form.Body, "wrong-secret"));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("ACL not found", refused.Body);
        Assert.False(cookies.ContainsKey("consul-ui-token"));

        var accepted = await Send(client, cookies, HttpMethod.Post, "ui/login", Fields(refused.Body, UiAcls.LimitedSecret));
        Assert.Equal(HttpStatusCode.Redirect, accepted.Status);
        Assert.Equal("/ui/services", new Uri(host.BaseAddress, accepted.Location).AbsolutePath);
        var setCookie = accepted.SetCookies.Single(c => c.StartsWith("consul-ui-token=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; path=/ui", setCookie);
        Assert.Contains("; samesite=strict", setCookie);
        Assert.Contains("; httponly", setCookie);
        Assert.DoesNotContain("; secure", setCookie); // plain http; SameAsRequest adds it over https
        Assert.DoesNotContain("expires=", setCookie);  // a session cookie
        Assert.DoesNotContain(UiAcls.LimitedSecret, setCookie);

        var signedIn = await Send(client, cookies, HttpMethod.Get, "ui/services");
        Assert.Contains(">web<", signedIn.Body.Replace(" ", ""));
        Assert.DoesNotContain(">db<", signedIn.Body.Replace(" ", ""));
        Assert.DoesNotContain(">redis<", signedIn.Body.Replace(" ", ""));

        // Logout is a POST carrying the antiforgery token rendered into the page's form.
        var acl = await Send(client, cookies, HttpMethod.Get, "ui/acl");
        var logout = await Send(client, cookies, HttpMethod.Post, "ui/logout",
            [new("__RequestVerificationToken", AntiforgeryField().Match(acl.Body).Groups[1].Value)]);
        Assert.Equal(HttpStatusCode.Redirect, logout.Status);
        Assert.Equal("/ui/", new Uri(host.BaseAddress, logout.Location).AbsolutePath);
        Assert.False(cookies.ContainsKey("consul-ui-token"));
        var after = await Send(client, cookies, HttpMethod.Get, "ui/services");
        Assert.DoesNotContain("service-link", after.Body);
    }

    private static List<KeyValuePair<string, string>> Fields(string loginPage, string token) =>
    [
        new("_handler", "login"),
        new("__RequestVerificationToken", AntiforgeryField().Match(loginPage).Groups[1].Value),
        new("Input.Token", token),
        new("Input.ReturnUrl", "services"),
    ];

    private sealed record Reply(HttpStatusCode Status, string Body, string? Location, List<string> SetCookies);

    /// <summary>One request with the cookies so far; Set-Cookie headers update them (an expired one removes it).</summary>
    private static async Task<Reply> Send(HttpClient client, Dictionary<string, string> cookies, HttpMethod method, string path,
        List<KeyValuePair<string, string>>? form = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (form is not null) request.Content = new FormUrlEncodedContent(form);
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        using var response = await client.SendAsync(request);
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        foreach (var c in setCookies)
        {
            var pair = c.Split(';')[0];
            var at = pair.IndexOf('=');
            var (name, value) = (pair[..at], pair[(at + 1)..]);
            if (value == "" || c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) cookies.Remove(name);
            else cookies[name] = value;
        }
        return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.OriginalString, setCookies);
    }

    [GeneratedRegex("<input(?=[^>]*name=\"__RequestVerificationToken\")[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
