namespace Consul.Tests.Cli;

public sealed class KvPutCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Put_literal_value_sends_body_and_prints_success()
    {
        Server.On("PUT /v1/kv/config/redis/maxconns", FakeResponse.Json("true"));

        var r = await Run("kv", "put", "config/redis/maxconns", "5");

        Assert.Equal(new CliResult(0, "Success! Data written to: config/redis/maxconns\n", ""), r);
        var req = Server.Single("PUT", "/v1/kv/config/redis/maxconns");
        Assert.Equal("5", req.BodyText);
        Assert.Equal("", req.Query);
        Assert.Equal("application/octet-stream", req.Header("Content-Type"));
    }

    [Fact(Timeout = 20000)]
    public async Task Put_reads_file_and_stdin_and_sends_flags()
    {
        Server.On("PUT /v1/kv/a", FakeResponse.Json("true"));
        Server.On("PUT /v1/kv/b", FakeResponse.Json("true"));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "from-file\n");
            var r1 = await Run("kv", "put", "-flags=42", "a", "@" + file);
            var r2 = await RunWith(new(), "from-stdin", "kv", "put", "b", "-");

            Assert.Equal(0, r1.Code);
            Assert.Equal(0, r2.Code);
            var a = Server.Single("PUT", "/v1/kv/a");
            Assert.Equal("from-file\n", a.BodyText);
            Assert.Equal("?flags=42", a.Query);
            Assert.Equal("from-stdin", Server.Single("PUT", "/v1/kv/b").BodyText);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Put_base64_decodes_value()
    {
        Server.On("PUT /v1/kv/k", FakeResponse.Json("true"));

        var r = await Run("kv", "put", "-base64", "k", "aGVsbG8=");

        Assert.Equal(0, r.Code);
        Assert.Equal("hello", Server.Single("PUT", "/v1/kv/k").BodyText);
    }

    [Fact(Timeout = 20000)]
    public async Task Put_cas_success_and_failure()
    {
        Server.On("PUT /v1/kv/k", req => FakeResponse.Json(req.Query == "?cas=7" ? "true" : "false"));

        var ok = await Run("kv", "put", "-cas", "-modify-index", "7", "k", "v");
        var fail = await Run("kv", "put", "-cas", "-modify-index=8", "k", "v");

        Assert.Equal(new CliResult(0, "Success! Data written to: k\n", ""), ok);
        Assert.Equal(new CliResult(1, "", "Error! Did not write to k: CAS failed\n"), fail);
    }

    [Fact(Timeout = 20000)]
    public async Task Put_acquire_and_release_use_session()
    {
        Server.On("PUT /v1/kv/lock", req => FakeResponse.Json(req.Query.StartsWith("?acquire=") ? "true" : "false"));

        var acquired = await Run("kv", "put", "-acquire", "-session=abc", "lock");
        var released = await Run("kv", "put", "-release", "-session=abc", "lock");

        Assert.Equal(new CliResult(0, "Success! Lock acquired on: lock\n", ""), acquired);
        Assert.Equal(new CliResult(1, "", "Error! Did not release lock\n"), released);
        Assert.Equal(["?acquire=abc", "?release=abc"], Server.Requests.Select(q => q.Query));
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "kv", "put" }, "Error! Missing KEY argument\n")]
    [InlineData(new[] { "kv", "put", "a", "b", "c" }, "Error! Too many arguments (expected 1 or 2, got 3)\n")]
    [InlineData(new[] { "kv", "put", "-acquire", "k" }, "Error! Missing -session (required with -acquire and -release)\n")]
    [InlineData(new[] { "kv", "put", "-cas", "k", "v" }, "Must specify -modify-index with -cas!\n")]
    public async Task Put_usage_errors(string[] args, string stderr)
    {
        var r = await Run(args);

        Assert.Equal(new CliResult(1, "", stderr), r);
        Assert.Empty(Server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Put_missing_file_reports_go_error()
    {
        var r = await Run("kv", "put", "k", "@/nonexistent/file");

        Assert.Equal(new CliResult(1, "", "Error! Failed to read file: open /nonexistent/file: no such file or directory\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Put_server_error_is_reported()
    {
        Server.On("PUT /v1/kv/k", FakeResponse.Text(403, "Permission denied"));

        var r = await Run("kv", "put", "k", "v");

        Assert.Equal(new CliResult(1, "", "Error! Failed writing data: Unexpected response code: 403 (Permission denied)\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Put_escapes_key_path_like_go()
    {
        Server.On("PUT /v1/kv/a b/c?d", FakeResponse.Json("true"));

        var r = await Run("kv", "put", "a b/c?d", "v");

        Assert.Equal(0, r.Code);
        Assert.Equal("/v1/kv/a%20b/c%3Fd", Assert.Single(Server.Requests).RawTarget);
    }
}

public sealed class KvGetCommandTests : CliTestBase
{
    private const string Entry = """
        [{"LockIndex":0,"Key":"redis/config/connections","Flags":0,"Value":"NQ==","CreateIndex":336,"ModifyIndex":337}]
        """;

    [Fact(Timeout = 20000)]
    public async Task Get_prints_raw_value()
    {
        Server.On("GET /v1/kv/redis/config/connections", FakeResponse.Json(Entry));

        var r = await Run("kv", "get", "/redis/config/connections");

        Assert.Equal(new CliResult(0, "5\n", ""), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Get_missing_key_exits_1()
    {
        var r = await Run("kv", "get", "nope");

        Assert.Equal(new CliResult(1, "", "Error! No key exists at: nope\n"), r);
    }

    [Fact(Timeout = 20000)]
    public async Task Get_detailed_aligns_fields()
    {
        Server.On("GET /v1/kv/redis/config/connections", FakeResponse.Json(Entry));

        var r = await Run("kv", "get", "-detailed", "redis/config/connections");

        Assert.Equal(0, r.Code);
        Assert.Equal(
            "CreateIndex      336\n" +
            "Flags            0\n" +
            "Key              redis/config/connections\n" +
            "LockIndex        0\n" +
            "ModifyIndex      337\n" +
            "Session          -\n" +
            "Value            5\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Get_recurse_lists_key_value_pairs_and_base64()
    {
        Server.On("GET /v1/kv/app", FakeResponse.Json("""
            [{"Key":"app/a","Flags":0,"Value":"MQ==","CreateIndex":1,"ModifyIndex":1,"LockIndex":0},
             {"Key":"app/b","Flags":0,"Value":null,"CreateIndex":2,"ModifyIndex":2,"LockIndex":0}]
            """));

        var plain = await Run("kv", "get", "-recurse", "app");
        var encoded = await Run("kv", "get", "-recurse", "-base64", "app");

        Assert.Equal(new CliResult(0, "app/a:1\napp/b:\n", ""), plain);
        Assert.Equal(new CliResult(0, "app/a:MQ==\napp/b:\n", ""), encoded);
        Assert.All(Server.Requests, q => Assert.Equal("?recurse=", q.Query));
    }

    [Fact(Timeout = 20000)]
    public async Task Get_recurse_detailed_separates_entries_with_blank_line()
    {
        Server.On("GET /v1/kv/app", FakeResponse.Json("""
            [{"Key":"app/a","Flags":3,"Value":"MQ==","CreateIndex":1,"ModifyIndex":4,"LockIndex":2,"Session":"sess-1"},
             {"Key":"app/b","Flags":0,"Value":"Mg==","CreateIndex":2,"ModifyIndex":2,"LockIndex":0}]
            """));

        var r = await Run("kv", "get", "-recurse", "-detailed", "app");

        Assert.Equal(
            "CreateIndex      1\nFlags            3\nKey              app/a\nLockIndex        2\n" +
            "ModifyIndex      4\nSession          sess-1\nValue            1\n" +
            "\n" +
            "CreateIndex      2\nFlags            0\nKey              app/b\nLockIndex        0\n" +
            "ModifyIndex      2\nSession          -\nValue            2\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Get_keys_with_separator_stale_token_and_datacenter()
    {
        Server.On("GET /v1/kv/app/", FakeResponse.Json("""["app/a","app/sub/"]"""));

        var r = await Run("kv", "get", "-keys", "-separator=/", "-stale", "-token=secret", "-datacenter", "dc2", "app/");

        Assert.Equal(new CliResult(0, "app/a\napp/sub/\n", ""), r);
        var req = Server.Single("GET", "/v1/kv/app/");
        Assert.Equal("?dc=dc2&keys=&separator=%2F&stale=", req.Query);
        Assert.Equal("secret", req.Header("X-Consul-Token"));
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "kv", "get" }, "Error! Missing KEY argument\n")]
    [InlineData(new[] { "kv", "get", "a", "b" }, "Too many arguments (expected 1, got 2)\n")]
    public async Task Get_usage_errors(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(1, "", stderr), await Run(args));
    }

    [Fact(Timeout = 20000)]
    public async Task Get_server_error()
    {
        Server.On("GET /v1/kv/k", FakeResponse.Text(500, "boom"));

        var r = await Run("kv", "get", "k");

        Assert.Equal(new CliResult(1, "", "Error querying Consul agent: Unexpected response code: 500 (boom)\n"), r);
    }
}

public sealed class KvDeleteCommandTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Delete_key_prefix_and_cas()
    {
        Server.On("DELETE /v1/kv/k", req => FakeResponse.Json(req.Query == "?cas=9" ? "false" : "true"));

        var plain = await Run("kv", "delete", "k");
        var tree = await Run("kv", "delete", "-recurse", "k");
        var cas = await Run("kv", "delete", "-cas", "-modify-index=9", "k");

        Assert.Equal(new CliResult(0, "Success! Deleted key: k\n", ""), plain);
        Assert.Equal(new CliResult(0, "Success! Deleted keys with prefix: k\n", ""), tree);
        Assert.Equal(new CliResult(1, "", "Error! Did not delete key k: CAS failed\n"), cas);
        Assert.Equal(["", "?recurse=", "?cas=9"], Server.Requests.Select(q => q.Query));
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "kv", "delete" }, "Error! Missing KEY argument\n")]
    [InlineData(new[] { "kv", "delete", "-cas", "k" }, "Cannot delete a key that does not exist. Provide a -modify-index greater than than 0.\n")]
    [InlineData(new[] { "kv", "delete", "-modify-index=3", "k" }, "Cannot specify -modify-index without -cas!\n")]
    [InlineData(new[] { "kv", "delete", "-cas", "-modify-index=3", "-recurse", "k" }, "Cannot specify both -cas and -recurse!\n")]
    [InlineData(new[] { "kv", "delete", "a", "b" }, "Too many arguments (expected 1, got 2)\n")]
    public async Task Delete_usage_errors(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(1, "", stderr), await Run(args));
        Assert.Empty(Server.Requests);
    }

    [Fact(Timeout = 20000)]
    public async Task Delete_server_error()
    {
        Server.On("DELETE /v1/kv/k", FakeResponse.Text(500, "nope"));

        Assert.Equal(new CliResult(1, "", "Error deleting key k: Unexpected response code: 500 (nope)\n"), await Run("kv", "delete", "k"));
    }
}

public sealed class KvExportImportTests : CliTestBase
{
    [Fact(Timeout = 20000)]
    public async Task Export_prints_tab_indented_json()
    {
        Server.On("GET /v1/kv/app", FakeResponse.Json("""
            [{"Key":"app/a","Flags":0,"Value":"MQ==","CreateIndex":1,"ModifyIndex":1,"LockIndex":0},
             {"Key":"app/<b>","Flags":7,"Value":null,"CreateIndex":2,"ModifyIndex":2,"LockIndex":0}]
            """));

        var r = await Run("kv", "export", "app");

        Assert.Equal(0, r.Code);
        Assert.Equal(
            "[\n\t{\n\t\t\"key\": \"app/a\",\n\t\t\"flags\": 0,\n\t\t\"value\": \"MQ==\"\n\t},\n" +
            "\t{\n\t\t\"key\": \"app/\\u003cb\\u003e\",\n\t\t\"flags\": 7,\n\t\t\"value\": \"\"\n\t}\n]\n", r.Stdout);
        Assert.Equal("?recurse=", Server.Single("GET", "/v1/kv/app").Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Export_of_empty_prefix_prints_empty_array()
    {
        Assert.Equal(new CliResult(0, "[]\n", ""), await Run("kv", "export"));
        Assert.Equal("/v1/kv/", Assert.Single(Server.Requests).Path);
    }

    [Fact(Timeout = 20000)]
    public async Task Import_literal_with_prefix_writes_each_entry()
    {
        Server.On("PUT /v1/kv/base/app/a", FakeResponse.Json("true"));
        Server.On("PUT /v1/kv/base/app/b", FakeResponse.Json("true"));
        const string data = """[{"key":"app/a","flags":0,"value":"MQ=="},{"key":"app/b","flags":5,"value":"Mg=="}]""";

        var r = await Run("kv", "import", "-prefix=base", data);

        Assert.Equal(new CliResult(0, "Imported: base/app/a\nImported: base/app/b\n", ""), r);
        Assert.Equal("1", Server.Single("PUT", "/v1/kv/base/app/a").BodyText);
        var b = Server.Single("PUT", "/v1/kv/base/app/b");
        Assert.Equal("2", b.BodyText);
        Assert.Equal("?flags=5", b.Query);
    }

    [Fact(Timeout = 20000)]
    public async Task Import_from_stdin_and_file()
    {
        Server.On("PUT /v1/kv/x", FakeResponse.Json("true"));
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """[{"key":"x","flags":0,"value":"eA=="}]""");
            var fromStdin = await RunWith(new(), """[{"key":"x","flags":0,"value":"eQ=="}]""", "kv", "import", "-");
            var fromFile = await Run("kv", "import", "@" + file);

            Assert.Equal(new CliResult(0, "Imported: x\n", ""), fromStdin);
            Assert.Equal(new CliResult(0, "Imported: x\n", ""), fromFile);
            Assert.Equal(["y", "x"], Server.Requests.Select(q => q.BodyText));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact(Timeout = 20000)]
    public async Task Import_matches_field_names_case_insensitively_and_honours_entry_namespace()
    {
        Server.On("PUT /v1/kv/k", FakeResponse.Json("true"));

        var r = await Run("kv", "import", "-namespace=flag-ns", """[{"Key":"k","Flags":2,"Value":"dg==","namespace":"entry-ns"}]""");

        Assert.Equal(new CliResult(0, "Imported: k\n", ""), r);
        var req = Server.Single("PUT", "/v1/kv/k");
        Assert.Equal("?flags=2&ns=entry-ns", req.Query);
        Assert.Equal("v", req.BodyText);
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "kv", "import" }, "Error! Missing DATA argument\n")]
    [InlineData(new[] { "kv", "import", "" }, "Error! Empty DATA argument\n")]
    [InlineData(new[] { "kv", "import", "a", "b" }, "Error! Too many arguments (expected 1, got 2)\n")]
    public async Task Import_usage_errors(string[] args, string stderr)
    {
        Assert.Equal(new CliResult(1, "", stderr), await Run(args));
    }

    [Fact(Timeout = 20000)]
    public async Task Import_rejects_bad_json_and_bad_base64()
    {
        var badJson = await Run("kv", "import", "{not json");
        var badValue = await Run("kv", "import", """[{"key":"k","flags":0,"value":"!!"}]""");

        Assert.Equal(1, badJson.Code);
        Assert.StartsWith("Cannot unmarshal data: ", badJson.Stderr);
        Assert.Equal(new CliResult(1, "", "Error base 64 decoding value for key k: illegal base64 data at input byte 0\n"), badValue);
        Assert.Empty(Server.Requests);
    }
}
