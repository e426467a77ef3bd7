using System.Text;
using System.Text.RegularExpressions;

namespace Consul.Tests.Fuzz;

/// <summary>A route of the app: its template ("/v1/kv/{**key}") and the methods it accepts.</summary>
internal sealed record FuzzRoute(string Template, IReadOnlyList<string> Methods);

/// <summary>
/// Generates random requests from a seeded <see cref="Random"/>: mostly the app's real routes with
/// random parameters, query strings, tokens and bodies, some mutated, some garbage. Every address a
/// request could make the agent contact (check targets, join addresses) is on loopback.
/// </summary>
internal sealed partial class HttpRequestFuzzer(Random random, IReadOnlyList<FuzzRoute> routes, IReadOnlyList<string> tokens)
{
    private static readonly string[] Methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO", "get"];

    private static readonly string[] Names =
    [
        "test-node", "consul", "web", "db", "web1", "serfHealth", "service:web1", "_nomad", "x", "a.b", "..", ".", "a/b", "a//b",
        "%2e%2e", "%00", "%ff", "%", "ünïcødé", "   ", "-", "0", "-1", "*", "?", "#", "node:test-node",
        "00000000-0000-0000-0000-000000000002", "8a3e2f4b-1c2d-4e5f-9a8b-7c6d5e4f3a2b", "passing", "warning", "critical", "any",
        "maintenance", "_node_maintenance", "lock", "<script>", "'; drop table", "\\", "a\tb",
    ];

    private static readonly string[] QueryKeys =
    [
        "index", "wait", "stale", "consistent", "cached", "filter", "cas", "flags", "recurse", "keys", "separator", "raw", "dc",
        "near", "node-meta", "tag", "passing", "pretty", "acquire", "release", "session", "token", "ns", "partition", "peer",
        "enable", "reason", "note", "replace-existing-checks", "loglevel", "logjson", "segment", "wan", "format", "max-age",
        "stale-if-error", "connect", "merge-central-config", "node", "name", "payload", "service", "tag-override", "x", "",
    ];

    private static readonly string[] Filters =
    [
        "Node == \"test-node\"", "Service.Service == web", "Checks.Status != passing", "Key matches \"a.*\"", "ServiceTags contains \"x\"",
        "not (Address == \"127.0.0.1\")", "Meta.x is empty", "((", "Node ==", "\"unterminated", "==", "Node == 1 and or", "in",
        "Node in [\"a\"]", "Foo.Bar.Baz == 1", "Node matches \"(\"", new string('(', 200),
    ];

    private static readonly string[] Waits = ["1ms", "5ms", "10ms", "20ms", "1", "0.5s", "-1s", "abc", "1h", "", "10m", "1ns", "9999999999999h"];

    private static readonly string[] ContentTypes =
        ["application/json", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "garbage"];

    private static readonly string[] Verbs =
        ["set", "get", "delete", "cas", "lock", "unlock", "check-session", "check-index", "check-not-exists", "delete-tree", "delete-cas", "get-tree", "register", "deregister", "bogus"];

    public FuzzRequest Next()
    {
        var roll = random.NextDouble();
        string method, path;
        if (roll < 0.85)
        {
            var route = routes[random.Next(routes.Count)];
            method = random.NextDouble() < 0.8 ? Pick(route.Methods) : Pick(Methods);
            path = Fill(route.Template);
            if (random.NextDouble() < 0.1) path = Mutate(path);
        }
        else
        {
            method = Pick(Methods);
            path = GarbagePath();
        }
        var query = Query();
        var headers = Headers(out var tokenInQuery);
        if (tokenInQuery is not null) query.Add(("token", tokenInQuery));
        var url = query.Count == 0 ? path : path + "?" + string.Join('&', query.Select(q => Encode(q.Key) + "=" + Encode(q.Value)));
        var body = Body(path, out var contentType);
        return new FuzzRequest(method, url, headers, body, contentType);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private bool Chance(double p) => random.NextDouble() < p;

    // ---- paths ----

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z_]+)[^}]*\}")]
    private static partial Regex Parameter();

    private string Fill(string template) =>
        Parameter().Replace(template, m => m.Groups[1].Value switch
        {
            "key" => Key(),
            "address" => Chance(0.5) ? "127.0.0.1" : Pick(["127.0.0.2:8301", "127.0.0.1:1", "[::1]:1", "", "x", "127.0.0.1:99999"]),
            _ => Segment(),
        });

    private string Segment()
    {
        var r = random.NextDouble();
        if (r < 0.6) return Encode(Pick(Names));
        if (r < 0.7) return Pick(Names); // raw, unescaped
        if (r < 0.8) return Encode(Guid.NewGuid().ToString());
        if (r < 0.9) return Encode(RandomText(random.Next(1, 40)));
        return new string('a', random.Next(200, 3000));
    }

    private string Key()
    {
        var r = random.NextDouble();
        if (r < 0.15) return "";
        if (r < 0.5) return Pick(["a", "a/b", "a/b/c", "foo/", "web/config", "locks/x", "lock/.lock", "service/web/leader"]);
        if (r < 0.7) return string.Join('/', Enumerable.Range(0, random.Next(1, 6)).Select(_ => Encode(Pick(Names))));
        if (r < 0.85) return Encode(RandomText(random.Next(1, 60)));
        if (r < 0.95) return new string('k', random.Next(100, 2000));
        return "/" + Pick(Names) + "//";
    }

    private string Mutate(string path) => random.Next(7) switch
    {
        0 => path + "/" + Segment(),
        1 => path.ToUpperInvariant(),
        2 => path.Replace("/v1/", "/v1//"),
        3 => path.Length > 4 ? path[..random.Next(1, path.Length)] : path,
        4 => path + "/",
        5 => path.Replace("/v1/", "/v2/"),
        _ => path + "%2F..%2F..%2Fetc%2Fpasswd",
    };

    private string GarbagePath() => random.Next(6) switch
    {
        0 => "/" + RandomText(random.Next(0, 30)).Replace("?", "").Replace("#", ""),
        1 => "/v1/" + Encode(RandomText(random.Next(1, 20))),
        2 => "/v1/" + Pick(["acl/token/self", "acl/bootstrap", "acl/policies", "acl/tokens", "agent/token/default", "snapshot", "connect/ca/roots", "query", "coordinate/nodes", "internal/ui/services", "config/proxy-defaults", "operator/keyring"]),
        3 => "/v1/agent/" + Segment() + "/" + Segment(),
        4 => "/" + new string('x', random.Next(1000, 8000)),
        _ => "/ui/" + Segment(),
    };

    // ---- query strings ----

    private List<(string Key, string Value)> Query()
    {
        var query = new List<(string, string)>();
        var count = random.Next(0, 5);
        for (var i = 0; i < count; i++)
        {
            var key = Pick(QueryKeys);
            query.Add((key, QueryValue(key)));
        }
        // A blocking query always carries a short wait so the run stays bounded (the default wait is 5 minutes).
        if (query.Any(q => q.Item1 == "index") && !query.Any(q => q.Item1 == "wait") && Chance(0.95)) query.Add(("wait", Pick(["1ms", "10ms", "20ms"])));
        return query;
    }

    private string QueryValue(string key) => key switch
    {
        "index" => Pick(["0", "1", "5", "18446744073709551615", "-1", "abc", "", "99999999999999999999", random.Next(0, 200).ToString()]),
        "wait" => Pick(Waits),
        "filter" => Pick(Filters),
        "cas" or "flags" => Pick(["0", "1", "-1", "18446744073709551616", "x", "", random.Next().ToString()]),
        "dc" => Pick(["dc1", "dc2", "", "DC1", "../", "x y"]),
        "near" => Pick(["_agent", "test-node", "nope", ""]),
        "node-meta" => Pick(["a:b", "a", ":", "consul-network-segment:", ""]),
        "token" => Token() ?? "",
        "acquire" or "release" or "session" => Pick([Guid.NewGuid().ToString(), "x", ""]),
        "enable" => Pick(["true", "false", "1", "yes", ""]),
        "loglevel" => Pick(["info", "debug", "trace", "bogus", "err"]),
        "max-age" or "stale-if-error" => Pick(["1s", "x", "-1", ""]),
        _ => Chance(0.5) ? "" : Pick(Names),
    };

    // ---- headers and tokens ----

    /// <summary>A known token (valid or not) or a random one; null for none.</summary>
    private string? Token()
    {
        var r = random.NextDouble();
        if (r < 0.25) return null;
        if (r < 0.8) return Pick(tokens);
        // Near misses of the management secret "root"; not "root " — HTTP trims header whitespace, so that one is root.
        if (r < 0.9) return Pick(["allow", "deny", "manage", "anonymous", "00000000-0000-0000-0000-000000000002", "", " ", "ROOT", "root\u0000"]);
        return RandomAscii(random.Next(1, 80));
    }

    private List<(string, string)> Headers(out string? tokenInQuery)
    {
        var headers = new List<(string, string)>();
        tokenInQuery = null;
        var token = Token();
        if (token is not null)
        {
            switch (random.Next(4))
            {
                case 0: tokenInQuery = token; break;
                case 1: headers.Add(("Authorization", "Bearer " + token)); break;
                default: headers.Add(("X-Consul-Token", token)); break;
            }
        }
        if (Chance(0.05)) headers.Add(("X-Consul-Token", RandomAscii(random.Next(0, 30))));
        if (Chance(0.05)) headers.Add(("Authorization", Pick(["Basic eDp5", "Bearer", "Bearer  ", "garbage"])));
        if (Chance(0.05)) headers.Add(("Cache-Control", Pick(["max-age=1", "no-cache", "max-age=x"])));
        if (Chance(0.05)) headers.Add(("Accept-Encoding", "gzip"));
        return headers;
    }

    // ---- bodies ----

    private byte[]? Body(string path, out string? contentType)
    {
        contentType = Chance(0.7) ? "application/json" : Chance(0.5) ? Pick(ContentTypes) : null;
        var r = random.NextDouble();
        if (r < 0.25) return null;
        if (r < 0.7) return Encoding.UTF8.GetBytes(MaybeBreak(ShapedJson(path)));
        if (r < 0.85) return Encoding.UTF8.GetBytes(RandomJson(0));
        if (r < 0.97) return RandomBytes(random.Next(0, 2000));
        return Huge();
    }

    private byte[] Huge() => random.Next(3) switch
    {
        0 => Encoding.UTF8.GetBytes(new string('a', random.Next(500_000, 1_100_000))),
        1 => Encoding.UTF8.GetBytes("[" + string.Join(',', Enumerable.Repeat("{\"KV\":{\"Verb\":\"get\",\"Key\":\"a\"}}", random.Next(65, 20_000))) + "]"),
        _ => Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000)),
    };

    /// <summary>JSON shaped like what the path expects, with random (sometimes wrong) values.</summary>
    private string ShapedJson(string path)
    {
        if (path.Contains("/txn")) return "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 6)).Select(_ => TxnOp())) + "]";
        if (path.Contains("/catalog/register")) return $$"""{"Node":{{Str()}},"Address":{{Str()}},"ID":{{Str()}},"Service":{{Service()}},"Check":{{Check()}},"Checks":[{{Check()}}],"NodeMeta":{{Meta()}},"SkipNodeUpdate":{{Bool()}}}""";
        if (path.Contains("/catalog/deregister")) return $$"""{"Node":{{Str()}},"ServiceID":{{Str()}},"CheckID":{{Str()}}}""";
        if (path.Contains("/service/register")) return Service();
        if (path.Contains("/check/register")) return Check();
        if (path.Contains("/check/update")) return $$"""{"Status":{{Pick(["\"passing\"", "\"warning\"", "\"critical\"", "\"bogus\"", "1", "null"])}},"Output":{{Str()}}}""";
        if (path.Contains("/session/")) return $$"""{"Name":{{Str()}},"Node":{{Str()}},"TTL":{{Dur()}},"LockDelay":{{Dur()}},"Behavior":{{Pick(["\"release\"", "\"delete\"", "\"x\"", "1"])}},"Checks":[{{Str()}}],"NodeChecks":[{{Str()}}],"ServiceChecks":[{"ID":{{Str()}}}]}""";
        if (path.Contains("/acl/")) return $$"""{"Name":{{Str()}},"Rules":{{Pick(["\"key_prefix \\\"\\\" { policy = \\\"write\\\" }\"", "\"bogus\"", "\"\"", "1"])}},"Policies":[{"ID":{{Str()}}}],"SecretID":{{Str()}},"AccessorID":{{Str()}},"Description":{{Str()}}}""";
        if (path.Contains("/operator/autopilot")) return $$"""{"CleanupDeadServers":{{Bool()}},"LastContactThreshold":{{Dur()}},"MaxTrailingLogs":{{Num()}}}""";
        return RandomJson(0);
    }

    private string TxnOp() => random.Next(4) switch
    {
        0 => "{\"KV\":{\"Verb\":" + Quote(Pick(Verbs)) + ",\"Key\":" + Str() + ",\"Value\":" + Pick(["\"aGVsbG8=\"", "\"!!notbase64\"", "null", "1"]) +
             ",\"Flags\":" + Num() + ",\"Index\":" + Num() + ",\"Session\":" + Str() + "}}",
        1 => "{\"Node\":{\"Verb\":" + Quote(Pick(Verbs)) + ",\"Node\":{\"Node\":" + Str() + ",\"Address\":" + Str() + "}}}",
        2 => "{\"Service\":{\"Verb\":" + Quote(Pick(Verbs)) + ",\"Node\":" + Str() + ",\"Service\":" + Service() + "}}",
        _ => "{\"Check\":{\"Verb\":" + Quote(Pick(Verbs)) + ",\"Check\":{\"Node\":" + Str() + ",\"CheckID\":" + Str() + ",\"Status\":" + Str() + "}}}",
    };

    private string Service() =>
        $$"""{"Name":{{Str()}},"ID":{{Str()}},"Tags":[{{Str()}}],"Address":{{Str()}},"Port":{{Num()}},"Meta":{{Meta()}},"EnableTagOverride":{{Bool()}},"Weights":{"Passing":{{Num()}},"Warning":{{Num()}}},"Check":{{Check()}},"Checks":[{{Check()}}],"Kind":{{Pick(["\"\"", "\"connect-proxy\"", "\"bogus\""])}}}""";

    /// <summary>A check definition; every target is on loopback and scripts do nothing.</summary>
    private string Check() => random.Next(7) switch
    {
        0 => $$"""{"Name":{{Str()}},"TTL":{{Dur()}},"Status":{{Str()}}}""",
        1 => $$"""{"Name":{{Str()}},"HTTP":"http://127.0.0.1:1/{{Encode(Pick(Names))}}","Interval":{{Dur()}},"Timeout":{{Dur()}},"Method":{{Str()}}}""",
        2 => $$"""{"Name":{{Str()}},"TCP":"127.0.0.1:{{random.Next(0, 70000)}}","Interval":{{Dur()}}}""",
        3 => $$"""{"Name":{{Str()}},"Args":["true"],"Interval":{{Dur()}}}""",
        4 => $$"""{"Name":{{Str()}},"GRPC":"127.0.0.1:1","Interval":{{Dur()}},"DeregisterCriticalServiceAfter":{{Dur()}}}""",
        5 => $$"""{"Name":{{Str()}},"AliasService":{{Str()}},"AliasNode":{{Str()}},"CheckID":{{Str()}},"ServiceID":{{Str()}}}""",
        _ => "null",
    };

    private string Str() => random.Next(8) switch
    {
        0 => "null",
        1 => Num(),
        2 => "\"\"",
        3 => Quote(RandomText(random.Next(1, 30))),
        4 => Quote(new string('s', random.Next(100, 5000))),
        _ => Quote(Pick(Names)),
    };

    private string Num() => Pick(["0", "1", "-1", "65536", "8080", "1e400", "99999999999999999999999", "1.5", "\"8080\"", "null", "true", random.Next().ToString()]);

    private string Dur() => Pick(["\"10s\"", "\"1ms\"", "\"0s\"", "\"-1s\"", "\"bogus\"", "\"\"", "10", "null", "\"87600h\"", "\"1m\""]);

    private string Bool() => Pick(["true", "false", "null", "\"true\"", "1"]);

    private string Meta() => Pick(["{}", "null", "{\"a\":\"b\"}", "{\"a\":1}", "[]", $"{{\"{new string('m', 200)}\":\"x\"}}", "{\"consul-x\":\"y\"}"]);

    private string RandomJson(int depth)
    {
        if (depth > 4) return Str();
        return random.Next(6) switch
        {
            0 => "{" + string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ => Quote(Pick(["Name", "ID", "Node", "Key", "Value", "Service", "Checks", "x", ""])) + ":" + RandomJson(depth + 1))) + "}",
            1 => "[" + string.Join(',', Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomJson(depth + 1))) + "]",
            2 => Num(),
            3 => Bool(),
            _ => Str(),
        };
    }

    /// <summary>Sometimes damages valid JSON: truncation, stray bytes, a doubled document.</summary>
    private string MaybeBreak(string json)
    {
        if (!Chance(0.2) || json.Length < 2) return json;
        return random.Next(4) switch
        {
            0 => json[..random.Next(1, json.Length)],
            1 => json.Insert(random.Next(json.Length), Pick(["\u0000", "}", "\"", ",", "\\", "\ud800"])),
            2 => json + json,
            _ => "\ufeff" + json,
        };
    }

    // ---- primitives ----

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);

    private static string Encode(string s) => Uri.EscapeDataString(s);

    private string RandomText(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = random.Next(10) switch
            {
                0 => (char)random.Next(0x80, 0x2FF),
                1 => (char)random.Next(0, 0x20),
                _ => (char)random.Next(0x20, 0x7F),
            };
        return new string(chars);
    }

    private string RandomAscii(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = (char)random.Next(0x21, 0x7F);
        return new string(chars);
    }

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
