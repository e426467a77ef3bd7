using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using Consul.Core.Events;
using Consul.Core.Model;
using Consul.Ui.Pages;

namespace Consul.Tests.Ui;

/// <summary>
/// Pages with ACLs on (default deny) show what the signed-in token (or anonymous) may read,
/// with the API's rules, including what live updates bring after the page opened.
/// </summary>
public sealed class AclFilteringTests : UiTestContext
{
    public AclFilteringTests() : base(UiAcls.Limited()) => TokenChecker = UiAcls.Checker(Fixture);

    private void SignInLimited() => SignInWith(UiAcls.LimitedSecret, UiAcls.LimitedAccessor, "web and app/ readers");

    private static List<string> ServiceNames(IRenderedComponent<Services> cut) =>
        cut.FindAll(".service-link").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public void Services_page_lists_only_services_the_token_may_read()
    {
        SignInLimited();

        var cut = RenderPage<Services>();

        Assert.Equal(["web"], ServiceNames(cut));
        Assert.Contains("hidden by ACLs for this token", cut.Find(".acl-filtered").TextContent);
        Assert.Empty(cut.FindAll(".acl-filtered .login-link"));
    }

    [Fact]
    public void Anonymous_viewer_sees_what_the_anonymous_token_allows_and_is_offered_the_login()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("services");
        var cut = RenderPage<Services>();

        Assert.Empty(ServiceNames(cut));
        Assert.Equal("login?returnUrl=services", cut.Find(".acl-filtered a.login-link").GetAttribute("href"));
    }

    [Fact]
    public void Service_registered_after_the_page_opened_appears_only_if_permitted()
    {
        SignInLimited();
        var cut = RenderPage<Services>();
        WaitForSubscription();

        Fixture.Service("node3", "db-late-1", "db-late", 5433, HealthStatus.Passing);
        Fixture.Service("node3", "web-late-1", "web-late", 8081, HealthStatus.Passing);

        cut.WaitForAssertion(() => Assert.Contains("web-late", ServiceNames(cut)));
        Assert.DoesNotContain("db-late", cut.Markup);
    }

    [Fact]
    public void Service_detail_needs_service_read()
    {
        SignInLimited();

        var web = RenderPage<ServiceDetail>(p => p.Add(x => x.Name, "web"));
        var db = RenderPage<ServiceDetail>(p => p.Add(x => x.Name, "db"));

        Assert.Equal(2, web.FindAll(".instance").Count);
        Assert.Empty(db.FindAll(".instance"));
        Assert.Equal($"Permission denied: token with AccessorID '{UiAcls.LimitedAccessor}' lacks permission 'service:read' on \"db\"",
            db.Find(".denied-message").TextContent);
    }

    [Fact]
    public void Nodes_follow_node_read_and_a_hidden_node_is_permission_denied()
    {
        SignInWith(UiAcls.NodeOneSecret, "node1-accessor");

        var nodes = RenderPage<Nodes>();
        var hidden = RenderPage<NodeDetail>(p => p.Add(x => x.Name, "node2"));

        Assert.Equal(["node1"], nodes.FindAll(".node-link").Select(a => a.TextContent.Trim()));
        Assert.Contains("lacks permission 'node:read' on \"node2\"", hidden.Find(".denied-message").TextContent);
        Assert.DoesNotContain("db-1", hidden.Markup);
    }

    [Fact]
    public void Kv_lists_only_readable_keys_and_a_hidden_key_is_permission_denied()
    {
        SignInLimited();

        var root = RenderPage<KeyValue>();
        var top = RenderPage<KeyValue>(p => p.Add(x => x.Path, "top"));

        Assert.Equal(["app/"], root.FindAll(".kv-child").Select(c => c.GetAttribute("data-key")));
        Assert.Contains("keys are hidden by ACLs", root.Find(".acl-filtered").TextContent);
        Assert.Equal($"Permission denied: token with AccessorID '{UiAcls.LimitedAccessor}' lacks permission 'key:read' on \"top\"",
            top.Find(".denied-message").TextContent);
        Assert.DoesNotContain("level", top.Markup);
        Assert.Empty(top.FindAll(".value-editor"));
    }

    [Fact]
    public void Kv_writes_need_key_write_and_show_consuls_permission_denied()
    {
        SignInLimited();
        var cut = RenderPage<KeyValue>(p => p.Add(x => x.Path, "app/name"));

        cut.Type(".value-editor textarea", "changed");
        cut.ClickOn("#save");

        Assert.Equal($"Permission denied: token with AccessorID '{UiAcls.LimitedAccessor}' lacks permission 'key:write' on \"app/name\"",
            cut.Find(".kv-error").TextContent.Trim());
        Assert.Equal("demo", System.Text.Encoding.UTF8.GetString(Fixture.Store.Current.KV["app/name"].Value!));

        cut.ClickOn("#delete-key");
        cut.ClickOn("#confirm-delete");
        Assert.Contains("lacks permission 'key:write'", cut.Find(".kv-error").TextContent);
        Assert.True(Fixture.Store.Current.KV.ContainsKey("app/name"));
    }

    [Fact]
    public void Management_token_may_write()
    {
        SignInWith(UiAcls.RootSecret, UiAcls.RootAccessor);
        var cut = RenderPage<KeyValue>(p => p.Add(x => x.Path, "top"));

        cut.Type(".value-editor textarea", "changed by root");
        cut.ClickOn("#save");

        cut.WaitForAssertion(() => Assert.Equal("changed by root", System.Text.Encoding.UTF8.GetString(Fixture.Store.Current.KV["top"].Value!)));
    }

    [Fact]
    public void Dashboard_counts_only_visible_objects_and_hides_raft_peers_without_operator_read()
    {
        SignInLimited();

        var cut = RenderPage<Dashboard>();

        Assert.Equal("1", cut.Find("#card-services .stat-value").TextContent.Trim());
        Assert.Contains("· 3 keys", cut.Find("#card-services").TextContent);
        Assert.Contains("lacks permission 'operator:read'", cut.Find(".permission-denied").TextContent);
        Assert.Empty(cut.FindAll(".raft-peers"));
    }

    [Fact]
    public void Events_page_shows_only_events_about_what_the_token_may_read_including_live_ones()
    {
        SignInLimited();
        var cut = RenderPage<Events>();
        WaitForSubscription();

        Assert.Contains("kv put app/config", cut.Markup);
        Assert.DoesNotContain("kv put top", cut.Markup);
        Assert.DoesNotContain("service db", cut.Markup);

        Fixture.Events.Publish(new KVPut("other/secret", 3, 0));
        Fixture.Events.Publish(new UserEventFired("deploy", "e1", 0));
        Fixture.Events.Publish(new KVPut("app/late", 3, 0));

        cut.WaitForAssertion(() => Assert.Contains("kv put app/late", cut.Markup));
        Assert.DoesNotContain("other/secret", cut.Markup);
        Assert.DoesNotContain("user event deploy", cut.Markup);
    }
}
