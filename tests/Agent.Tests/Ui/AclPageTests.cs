using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using Consul.Core.Acl;
using Consul.Ui.Acl;

namespace Consul.Tests.Ui;

public sealed class AclPageTests() : UiTestContext(UiAcls.Limited())
{
    [Fact]
    public void With_acls_disabled_says_so_and_offers_no_login()
    {
        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Contains("ACLs are disabled", cut.Find(".acl-disabled").TextContent);
        Assert.Empty(cut.FindAll(".login-link"));
        Assert.Empty(cut.FindAll(".current-token"));
    }

    [Fact]
    public void Anonymous_viewer_is_offered_the_login_and_denied_the_lists()
    {
        TokenChecker = UiAcls.Checker(Fixture);

        Services.GetRequiredService<NavigationManager>().NavigateTo("acl");
        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Contains("Not logged in", cut.Find(".current-token").TextContent);
        Assert.Equal("login?returnUrl=acl", cut.Find("a.login-link").GetAttribute("href"));
        Assert.Contains("anonymous token lacks permission 'acl:read'", cut.Find(".permission-denied").TextContent);
        Assert.Empty(cut.FindAll(".acl-tokens"));
    }

    [Fact]
    public void Signed_in_token_shows_accessor_description_and_policies_but_not_lists_without_acl_read()
    {
        TokenChecker = UiAcls.Checker(Fixture);
        SignInWith(UiAcls.LimitedSecret, UiAcls.LimitedAccessor, "web and app/ readers");

        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Equal(UiAcls.LimitedAccessor, cut.Find(".token-accessor").TextContent);
        Assert.Equal("web and app/ readers", cut.Find(".token-description").TextContent);
        Assert.Equal("web-and-app-readers", cut.Find(".token-policies").TextContent);
        Assert.Equal($"Permission denied: token with AccessorID '{UiAcls.LimitedAccessor}' lacks permission 'acl:read'",
            cut.Find(".denied-message").TextContent);
        // Logout is a POST form carrying the antiforgery token.
        var form = cut.Find("form.logout-form");
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("logout", form.GetAttribute("action"));
        Assert.NotNull(cut.Find("#acl-logout"));
    }

    [Fact]
    public void Acl_read_lists_tokens_policies_and_roles_without_secrets()
    {
        TokenChecker = UiAcls.Checker(Fixture);
        SignInWith(UiAcls.RootSecret, UiAcls.RootAccessor, "root");

        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        var tokens = cut.Find(".acl-tokens").TextContent;
        Assert.Contains(UiAcls.LimitedAccessor, tokens);
        Assert.Contains(AclBuiltins.AnonymousTokenId, tokens);
        Assert.Contains("global-management", cut.Find(".token-policies").TextContent);
        Assert.DoesNotContain(UiAcls.LimitedSecret, cut.Markup);
        Assert.DoesNotContain(UiAcls.RootSecret, cut.Markup);
        var policies = cut.Find(".acl-policies").TextContent;
        Assert.Contains("web-and-app-readers", policies);
        Assert.Contains("global-read-only", policies);
        Assert.Contains("No roles", cut.Find(".acl-roles-empty").TextContent);
    }

    [Fact]
    public void A_token_deleted_after_login_is_reported()
    {
        TokenChecker = UiAcls.Checker(Fixture);
        SignInWith("deleted-secret", "gone-accessor", "was here");

        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Contains("ACL not found", cut.Find(".token-invalid").TextContent);
    }
}
