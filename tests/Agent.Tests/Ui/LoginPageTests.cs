using System.Security.Claims;
using Bunit;
using Consul.Ui.Acl;
using Consul.Ui.Pages;
using Consul.Ui.Views;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Ui;

/// <summary>The login form: validation, Consul's "ACL not found", and the cookie sign-in it performs.</summary>
public sealed class LoginPageTests : UiTestContext
{
    private readonly RecordingAuthentication _auth = new();

    public LoginPageTests() : base(UiAcls.Limited()) => TokenChecker = UiAcls.Checker(Fixture);

    private IRenderedComponent<Login> RenderLogin()
    {
        // The page runs per request; its HttpContext carries the authentication service it signs in with.
        var http = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddSingleton<IAuthenticationService>(_auth).BuildServiceProvider(),
        };
        return RenderPage<Login>(p => p.AddCascadingValue(http));
    }

    [Fact]
    public void An_empty_token_is_a_validation_error_and_signs_nobody_in()
    {
        var cut = RenderLogin();

        cut.Find("form.login-form").Submit();

        Assert.Contains("Enter a token.", cut.Find(".validation-message").TextContent);
        Assert.Null(_auth.Principal);
    }

    [Fact]
    public void An_unknown_token_shows_acl_not_found()
    {
        var cut = RenderLogin();

        cut.Find("#token").Change("not-a-real-secret");
        cut.Find("form.login-form").Submit();

        cut.WaitForAssertion(() => Assert.Equal("ACL not found", cut.Find(".login-error").TextContent.Trim()));
        Assert.Null(_auth.Principal);
    }

    [Fact]
    public void A_valid_token_signs_in_with_its_secret_in_a_session_cookie_and_returns_to_the_page()
    {
        var cut = RenderLogin();

        cut.Find("#token").Change(" " + UiAcls.LimitedSecret + " ");
        cut.Find("input[type=hidden]").Change("services/web");
        cut.Find("form.login-form").Submit();

        cut.WaitForAssertion(() => Assert.NotNull(_auth.Principal));
        Assert.Equal(UiAuth.Scheme, _auth.Scheme);
        Assert.Equal(UiAcls.LimitedSecret, UiAuth.SecretOf(_auth.Principal));
        Assert.Equal(UiAcls.LimitedAccessor, UiAuth.InfoOf(_auth.Principal)!.AccessorId);
        Assert.Equal("web and app/ readers", UiAuth.InfoOf(_auth.Principal)!.Description);
        Assert.False(_auth.Properties!.IsPersistent);
        Assert.EndsWith("/services/web", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void With_acls_disabled_there_is_no_form()
    {
        TokenChecker = new AllowAllTokenChecker();

        var cut = RenderLogin();

        Assert.Contains("ACLs are disabled", cut.Find(".acl-disabled").TextContent);
        Assert.Empty(cut.FindAll("form.login-form"));
    }

    [Theory]
    [InlineData("services/web", "services/web")]
    [InlineData("kv/app/config?x=1", "kv/app/config?x=1")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("//evil.example/x", "")]
    [InlineData("/v1/kv/top", "")]
    [InlineData("https://evil.example/", "")]
    [InlineData("javascript:alert(1)", "")]
    [InlineData("\\\\evil.example", "")]
    public void Return_address_stays_inside_the_ui(string? given, string expected) =>
        Assert.Equal(expected, LoginLinks.SafeReturn(given));

    private sealed class RecordingAuthentication : IAuthenticationService
    {
        public string? Scheme { get; private set; }
        public ClaimsPrincipal? Principal { get; private set; }
        public AuthenticationProperties? Properties { get; private set; }

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties)
        {
            (Scheme, Principal, Properties) = (scheme, principal, properties);
            return Task.CompletedTask;
        }

        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());
        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }
}
