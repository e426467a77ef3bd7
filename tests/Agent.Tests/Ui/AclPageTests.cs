using Bunit;
using Consul.Ui.Acl;
using Consul.Ui.Pages;

namespace Consul.Tests.Ui;

public sealed class AclPageTests : UiTestContext
{
    [Fact]
    public void Says_acls_are_disabled_and_accepts_any_token()
    {
        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Contains("ACLs are disabled", cut.Find(".acl-disabled").TextContent);
        cut.Type(".token-input input", "anything-at-all");
        cut.ClickOn("#login");

        cut.WaitForAssertion(() => Assert.Contains("any token is accepted", cut.Find(".signed-in").TextContent));
        cut.ClickOn("#logout");
        Assert.NotNull(cut.Find("#login"));
    }

    [Fact]
    public void A_refused_token_shows_the_checkers_error()
    {
        TokenChecker = new RefusingChecker();
        var cut = RenderPage<Consul.Ui.Pages.Acl>();

        Assert.Empty(cut.FindAll(".acl-disabled"));
        cut.Type(".token-input input", "bad-secret");
        cut.ClickOn("#login");

        cut.WaitForAssertion(() => Assert.Contains("ACL not found", cut.Find(".login-error").TextContent));
        Assert.Empty(cut.FindAll(".signed-in"));
    }

    private sealed class RefusingChecker : IUiTokenChecker
    {
        public bool AclsEnabled => true;
        public Task<UiTokenCheckResult> CheckAsync(string secretId, CancellationToken ct = default) =>
            Task.FromResult(new UiTokenCheckResult(false, Error: "ACL not found"));
    }
}
