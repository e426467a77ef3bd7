using System.Text;
using Bunit;
using Bunit.TestDoubles;
using Consul.Core.State;
using Consul.Ui.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Tests.Ui;

public sealed class KeyValuePageTests : UiTestContext
{
    private string Value(string key) =>
        Fixture.Store.Current.KV.TryGetValue(key, out var e) ? Encoding.UTF8.GetString(e.Value ?? []) : "<missing>";

    private IRenderedComponent<KeyValue> Open(string? path) => RenderPage<KeyValue>(p => p.Add(x => x.Path, path));

    private static string Editor(IRenderedComponent<KeyValue> cut)
    {
        var area = cut.Find(".value-editor textarea");
        return area.GetAttribute("value") ?? area.TextContent;
    }

    private string NavigatedTo => Services.GetRequiredService<NavigationManager>().Uri;

    [Fact]
    public void Root_lists_folders_first_then_keys()
    {
        var cut = Open(null);

        var children = cut.FindAll(".kv-child").Select(c => c.TextContent).ToList();
        Assert.Equal(["app/", "top"], children);
    }

    [Fact]
    public void Folder_lists_its_children_with_links()
    {
        var cut = Open("app/");

        Assert.Equal(["feature/", "config", "name"], cut.FindAll(".kv-child").Select(c => c.TextContent));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "kv/app/feature/");
    }

    [Fact]
    public void Json_value_opens_pretty_printed_and_switches_to_base64()
    {
        var cut = Open("app/config");

        var text = Editor(cut);
        Assert.Contains("\"debug\": true", text);

        cut.ClickOn("#mode-base64");
        var b64 = Editor(cut);
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"debug\":true}")), b64);
    }

    [Fact]
    public void Save_writes_with_cas_and_reports_the_new_index()
    {
        var cut = Open("app/name");
        var loaded = Fixture.Store.Current.KV["app/name"].ModifyIndex;

        cut.Type(".value-editor textarea", "renamed");
        cut.ClickOn("#save");

        cut.WaitForAssertion(() => Assert.Contains("Saved", cut.Find(".kv-message").TextContent));
        Assert.Equal("renamed", Value("app/name"));
        Assert.True(Fixture.Store.Current.KV["app/name"].ModifyIndex > loaded);
    }

    [Fact]
    public void Concurrent_edit_shows_a_conflict_and_keeps_the_other_write()
    {
        var cut = Open("app/name");

        cut.Type(".value-editor textarea", "mine");
        Fixture.Key("app/name", "theirs"); // someone else saves first
        cut.ClickOn("#save");

        cut.WaitForAssertion(() => Assert.Contains("Someone else changed this key", cut.Find(".kv-conflict").TextContent));
        Assert.Equal("theirs", Value("app/name"));
        Assert.Equal("mine", Editor(cut));

        cut.ClickOn("#overwrite");
        cut.WaitForAssertion(() => Assert.Equal("mine", Value("app/name")));
        Assert.Empty(cut.FindAll(".kv-conflict"));
    }

    [Fact]
    public void Conflict_can_be_resolved_by_loading_theirs()
    {
        var cut = Open("app/name");
        cut.Type(".value-editor textarea", "mine");
        Fixture.Key("app/name", "theirs");
        cut.ClickOn("#save");
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".kv-conflict")));

        cut.ClickOn("#load-theirs");

        Assert.Equal("theirs", Editor(cut));
        Assert.Empty(cut.FindAll(".kv-conflict"));
    }

    [Fact]
    public void Edits_by_others_appear_live_when_not_editing()
    {
        var cut = Open("app/name");
        WaitForSubscription();

        Fixture.Key("app/name", "changed elsewhere");

        cut.WaitForAssertion(() => Assert.Equal("changed elsewhere", Editor(cut)));
        Assert.Contains("Updated by someone else", cut.Find(".kv-message").TextContent);
    }

    [Fact]
    public void Edits_by_others_do_not_clobber_a_draft()
    {
        var cut = Open("app/name");
        WaitForSubscription();
        cut.Type(".value-editor textarea", "my draft");

        Fixture.Key("app/name", "changed elsewhere");

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".kv-remote-change")));
        Assert.Equal("my draft", Editor(cut));
    }

    [Fact]
    public void Delete_key_asks_first_then_deletes_and_returns_to_the_folder()
    {
        var cut = Open("app/name");

        cut.ClickOn("#delete-key");
        Assert.Equal("demo", Value("app/name")); // nothing happens before confirming
        cut.ClickOn("#confirm-delete");

        cut.WaitForAssertion(() => Assert.Equal("<missing>", Value("app/name")));
        Assert.EndsWith("/kv/app/", NavigatedTo);
    }

    [Fact]
    public void Delete_folder_removes_everything_under_it_after_confirmation()
    {
        var cut = Open("app/");

        cut.ClickOn("#delete-folder");
        Assert.Contains("3 keys", cut.Find(".confirm-delete").TextContent);
        cut.ClickOn("#confirm-delete");

        cut.WaitForAssertion(() => Assert.DoesNotContain(Fixture.Store.Current.KV.Keys, k => k.StartsWith("app/")));
        Assert.Equal("level", Value("top"));
    }

    [Fact]
    public void Create_adds_a_key_in_the_folder_and_opens_it()
    {
        var cut = Open("app/");

        cut.ClickOn("#create-toggle");
        cut.Type(".new-key input", "port");
        cut.Type(".new-value textarea", "8080");
        cut.ClickOn("#create");

        cut.WaitForAssertion(() => Assert.Equal("8080", Value("app/port")));
        Assert.EndsWith("/kv/app/port", NavigatedTo);
    }

    [Fact]
    public void Creating_an_existing_key_is_refused_not_overwritten()
    {
        var cut = Open("app/");

        cut.ClickOn("#create-toggle");
        cut.Type(".new-key input", "name");
        cut.Type(".new-value textarea", "other");
        cut.ClickOn("#create");

        cut.WaitForAssertion(() => Assert.Contains("already exists", cut.Find(".kv-error").TextContent));
        Assert.Equal("demo", Value("app/name"));
    }

    [Fact]
    public void Missing_key_and_empty_root_have_clear_empty_states()
    {
        var missing = Open("no/such/key");
        Assert.Contains("Key not found", missing.Markup);

        Fixture.Apply(new KVCommand { Verb = KVOps.DeleteTree, Key = "" });
        var root = Open("");
        Assert.Contains("No keys yet", root.Markup);
    }
}
