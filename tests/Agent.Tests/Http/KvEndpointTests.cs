using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using static Consul.Tests.Http.AgentTestHost;

namespace Consul.Tests.Http;

public sealed class KvEndpointTests
{
    private static async Task<JsonNode> Entry(AgentTestHost h, string key) =>
        (await h.GetJson("/v1/kv/" + key))!.AsArray().Single()!;

    [Fact(Timeout = 20000)]
    public async Task Put_then_get_returns_one_entry_with_consuls_fields()
    {
        await using var h = await StartAsync();
        Assert.Equal("true", await h.PutOk("/v1/kv/web/config", "hello"));

        var r = await h.Get("/v1/kv/web/config");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", ContentType(r)!.MediaType);
        var e = (await Json(r))!.AsArray().Single()!;
        Assert.Equal(["LockIndex", "Key", "Flags", "Value", "CreateIndex", "ModifyIndex"], Keys(e));
        Assert.Equal("web/config", (string?)e["Key"]);
        Assert.Equal(Convert.ToBase64String("hello"u8.ToArray()), (string?)e["Value"]);
        Assert.Equal(0UL, (ulong)e["Flags"]!);
        Assert.Equal(0UL, (ulong)e["LockIndex"]!);
        var create = (ulong)e["CreateIndex"]!;
        Assert.True(create > 0);
        Assert.Equal(create, (ulong)e["ModifyIndex"]!);
        Assert.Equal(create, IndexOf(r));
    }

    [Fact(Timeout = 20000)]
    public async Task Missing_key_is_404_with_empty_body_and_index_header()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/other", "x");
        var r = await h.Get("/v1/kv/nope");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("", await r.Content.ReadAsStringAsync());
        Assert.True(IndexOf(r) > 0);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/nope?recurse")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/nope?keys")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/nope?raw")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Empty_body_stores_null_value()
    {
        await using var h = await StartAsync();
        Assert.Equal("true", await h.PutOk("/v1/kv/empty"));
        var e = await Entry(h, "empty");
        Assert.True(e.AsObject().ContainsKey("Value"));
        Assert.Null(e["Value"]);
        var raw = await h.Get("/v1/kv/empty?raw");
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Empty(await raw.Content.ReadAsByteArrayAsync());
    }

    [Fact(Timeout = 20000)]
    public async Task Raw_returns_the_bytes_as_text_plain_with_safety_headers()
    {
        await using var h = await StartAsync();
        var bytes = new byte[] { 0, 1, 2, 250, (byte)'<', (byte)'b', (byte)'>' };
        Assert.Equal(HttpStatusCode.OK, (await h.PutBytes("/v1/kv/bin", bytes)).StatusCode);
        var r = await h.Get("/v1/kv/bin?raw");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(bytes, await r.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/plain", ContentType(r)!.ToString());
        Assert.Equal("nosniff", Header(r, "X-Content-Type-Options"));
        Assert.Equal("sandbox", Header(r, "Content-Security-Policy"));
        Assert.Equal(bytes.Length, r.Content.Headers.ContentLength);
        Assert.NotNull(Header(r, "X-Consul-Index"));
    }

    [Fact(Timeout = 20000)]
    public async Task Flags_are_stored_and_bad_flags_are_400()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/f?flags=42", "v");
        Assert.Equal(42UL, (ulong)(await Entry(h, "f"))["Flags"]!);
        await h.PutOk("/v1/kv/f?flags=18446744073709551615", "v");
        Assert.Equal(ulong.MaxValue, (ulong)(await Entry(h, "f"))["Flags"]!);
        var bad = await h.Put("/v1/kv/f?flags=abc", "v");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Cas_succeeds_only_on_the_current_modify_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/c", "one");
        var m = (ulong)(await Entry(h, "c"))["ModifyIndex"]!;

        Assert.Equal("false", await h.PutOk($"/v1/kv/c?cas={m + 100}", "two"));
        Assert.Equal("one", Encoding.UTF8.GetString(Convert.FromBase64String((string)(await Entry(h, "c"))["Value"]!)));

        Assert.Equal("true", await h.PutOk($"/v1/kv/c?cas={m}", "two"));
        var e = await Entry(h, "c");
        Assert.Equal("two", Encoding.UTF8.GetString(Convert.FromBase64String((string)e["Value"]!)));
        Assert.True((ulong)e["ModifyIndex"]! > m);

        // The old index no longer matches.
        Assert.Equal("false", await h.PutOk($"/v1/kv/c?cas={m}", "three"));
    }

    [Fact(Timeout = 20000)]
    public async Task Cas_zero_creates_only_when_absent()
    {
        await using var h = await StartAsync();
        Assert.Equal("true", await h.PutOk("/v1/kv/once?cas=0", "first"));
        Assert.Equal("false", await h.PutOk("/v1/kv/once?cas=0", "second"));
        Assert.Equal("first", Encoding.UTF8.GetString(Convert.FromBase64String((string)(await Entry(h, "once"))["Value"]!)));
        // A non-zero index on a missing key fails.
        Assert.Equal("false", await h.PutOk("/v1/kv/absent?cas=5", "x"));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/absent")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Update_keeps_create_index_and_unchanged_put_keeps_modify_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/idx", "a");
        var first = await Entry(h, "idx");
        var create = (ulong)first["CreateIndex"]!;

        await h.PutOk("/v1/kv/idx", "b");
        var second = await Entry(h, "idx");
        Assert.Equal(create, (ulong)second["CreateIndex"]!);
        var modify = (ulong)second["ModifyIndex"]!;
        Assert.True(modify > create);

        // Writing the same value and flags again is not a change (Consul skips the write).
        await h.PutOk("/v1/kv/idx", "b");
        var third = await h.Get("/v1/kv/idx");
        var e = (await Json(third))!.AsArray().Single()!;
        Assert.Equal(modify, (ulong)e["ModifyIndex"]!);
        Assert.Equal(modify, IndexOf(third));
    }

    [Fact(Timeout = 20000)]
    public async Task Recurse_lists_entries_under_prefix_in_key_order()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/app/b", "2");
        await h.PutOk("/v1/kv/app/a", "1");
        await h.PutOk("/v1/kv/app/sub/c", "3");
        await h.PutOk("/v1/kv/apple", "x");
        await h.PutOk("/v1/kv/other", "y");

        var list = (await h.GetJson("/v1/kv/app/?recurse"))!.AsArray();
        Assert.Equal(["app/a", "app/b", "app/sub/c"], list.Select(e => (string)e!["Key"]!).ToArray());
        var all = (await h.GetJson("/v1/kv/?recurse"))!.AsArray();
        Assert.Equal(5, all.Count);
        var noSlash = (await h.GetJson("/v1/kv/app?recurse"))!.AsArray();
        Assert.Equal(4, noSlash.Count);
    }

    [Fact(Timeout = 20000)]
    public async Task Keys_with_separator_roll_up_at_the_first_separator()
    {
        await using var h = await StartAsync();
        foreach (var k in new[] { "web/a", "web/b/c", "web/b/d", "web/e/f/g", "webx" }) await h.PutOk("/v1/kv/" + k, "v");

        var all = (await h.GetJson("/v1/kv/web?keys"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(["web/a", "web/b/c", "web/b/d", "web/e/f/g", "webx"], all);

        var rolled = (await h.GetJson("/v1/kv/web/?keys&separator=/"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(["web/a", "web/b/", "web/e/"], rolled);

        // Consul still honours the historic misspelling.
        var old = (await h.GetJson("/v1/kv/web/?keys&seperator=/"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(rolled, old);

        var top = (await h.GetJson("/v1/kv/?keys&separator=/"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(["web/", "webx"], top);
    }

    [Fact(Timeout = 20000)]
    public async Task Keys_at_root_of_empty_store_is_an_empty_list()
    {
        await using var h = await StartAsync();
        var r = await h.Get("/v1/kv/?keys");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("[]", (await r.Content.ReadAsStringAsync()).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task Values_up_to_512KiB_are_accepted_and_larger_are_413()
    {
        await using var h = await StartAsync();
        var max = new byte[512 * 1024];
        new Random(7).NextBytes(max);
        Assert.Equal(HttpStatusCode.OK, (await h.PutBytes("/v1/kv/big", max)).StatusCode);
        var back = await h.Get("/v1/kv/big?raw");
        Assert.Equal(max, await back.Content.ReadAsByteArrayAsync());

        var tooBig = await h.PutBytes("/v1/kv/big2", new byte[512 * 1024 + 1]);
        await AssertError(tooBig, 413,
            "Request body(524289 bytes) too large, max size: 524288 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/big2")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Missing_key_name_is_400()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/kv/", "x"), 400, "Missing key name");
        await AssertError(await h.Get("/v1/kv/"), 400, "Missing key name");
        await AssertError(await h.Delete("/v1/kv/"), 400, "Missing key name");
    }

    [Fact(Timeout = 20000)]
    public async Task Conflicting_flags_are_400_with_consuls_sorted_query()
    {
        await using var h = await StartAsync();
        await AssertError(await h.Put("/v1/kv/k?cas=0&acquire=abc", "x"), 400, "Conflicting flags: acquire=abc&cas=0");
        await AssertError(await h.Delete("/v1/kv/k?recurse&cas=1"), 400, "Conflicting flags: cas=1&recurse=");
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_removes_one_key_and_returns_true_even_when_absent()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/d/a", "1");
        await h.PutOk("/v1/kv/d/b", "2");
        var r = await h.Delete("/v1/kv/d/a");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("true", await Body(r));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/d/a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await h.Get("/v1/kv/d/b")).StatusCode);
        Assert.Equal("true", await Body(await h.Delete("/v1/kv/d/never")));
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_recurse_removes_the_prefix_only()
    {
        await using var h = await StartAsync();
        foreach (var k in new[] { "t/a", "t/b/c", "tx", "u" }) await h.PutOk("/v1/kv/" + k, "v");
        Assert.Equal("true", await Body(await h.Delete("/v1/kv/t/?recurse")));
        var keys = (await h.GetJson("/v1/kv/?keys"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(["tx", "u"], keys);
        // Recurse on the root empties the store.
        Assert.Equal("true", await Body(await h.Delete("/v1/kv/?recurse")));
        Assert.Equal("[]", (await (await h.Get("/v1/kv/?keys")).Content.ReadAsStringAsync()).Trim());
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_cas_only_deletes_at_the_current_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/dc", "v");
        var m = (ulong)(await Entry(h, "dc"))["ModifyIndex"]!;
        Assert.Equal("false", await Body(await h.Delete($"/v1/kv/dc?cas={m + 1}")));
        Assert.Equal(HttpStatusCode.OK, (await h.Get("/v1/kv/dc")).StatusCode);
        Assert.Equal("true", await Body(await h.Delete($"/v1/kv/dc?cas={m}")));
        Assert.Equal(HttpStatusCode.NotFound, (await h.Get("/v1/kv/dc")).StatusCode);
    }

    [Fact(Timeout = 20000)]
    public async Task Index_of_a_key_read_is_the_kv_table_index()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/a", "1");
        await h.PutOk("/v1/kv/b", "2");
        var b = (ulong)(await Entry(h, "b"))["ModifyIndex"]!;
        Assert.Equal(b, IndexOf(await h.Get("/v1/kv/a")));
        // Deletes count too (tombstones).
        var del = await h.Delete("/v1/kv/b");
        Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        Assert.True(IndexOf(await h.Get("/v1/kv/a")) > b);
    }

    [Fact(Timeout = 20000)]
    public async Task Index_of_prefix_and_keys_reads_covers_only_the_prefix_including_deletes()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/p/x", "1");
        await h.PutOk("/v1/kv/p/y", "2");
        var y = (ulong)(await Entry(h, "p/y"))["ModifyIndex"]!;
        await h.PutOk("/v1/kv/q", "3");
        Assert.Equal(y, IndexOf(await h.Get("/v1/kv/p/?recurse")));
        Assert.Equal(y, IndexOf(await h.Get("/v1/kv/p/?keys")));

        await h.Delete("/v1/kv/p/y");
        var afterDelete = IndexOf(await h.Get("/v1/kv/p/?recurse"));
        Assert.True(afterDelete > y);
        Assert.Equal(afterDelete, IndexOf(await h.Get("/v1/kv/p/?keys")));

        await h.PutOk("/v1/kv/q", "4");
        Assert.Equal(afterDelete, IndexOf(await h.Get("/v1/kv/p/?recurse")));
        Assert.Equal(afterDelete, IndexOf(await h.Get("/v1/kv/p/?keys")));
        // The root reports the whole table's index.
        Assert.True(IndexOf(await h.Get("/v1/kv/?recurse")) > afterDelete);
    }

    [Fact(Timeout = 20000)]
    public async Task Keys_may_contain_escaped_characters()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/sp%20ace/x%2Fy", "v");
        var keys = (await h.GetJson("/v1/kv/?keys"))!.AsArray().Select(k => (string)k!).ToArray();
        Assert.Equal(["sp ace/x/y"], keys);
        // Decoded exactly once: %2541 is the three characters %41.
        await h.PutOk("/v1/kv/pct%2541", "p");
        Assert.Equal("pct%41", (string?)(await h.GetJson("/v1/kv/pct%2541"))!.AsArray().Single()!["Key"]);
    }

    [Fact(Timeout = 20000)]
    public async Task Json_escapes_html_characters_as_go_does()
    {
        await using var h = await StartAsync();
        await h.PutOk("/v1/kv/a%3Cb%3E%26c", "v");
        var text = await (await h.Get("/v1/kv/?keys")).Content.ReadAsStringAsync();
        Assert.Contains("\"a\\u003cb\\u003e\\u0026c\"", text);
        Assert.Equal("a<b>&c", (string?)System.Text.Json.Nodes.JsonNode.Parse(text)!.AsArray().Single());
    }
}
