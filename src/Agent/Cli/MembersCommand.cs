using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Consul.Agent.Cli;

/// <summary>`consul members`: the agent's gossip members as a table (command/members).</summary>
internal sealed class MembersCommand : ApiCommand
{
    private bool _detailed, _wan;
    private string _status = ".*", _segment = "_all", _filter = "";

    public MembersCommand()
    {
        Flags.Bool("detailed", "Provides detailed information about nodes.", v => _detailed = v);
        Flags.Bool("wan", "If the agent is in server mode, this can be used to return the other " +
                          "peers in the WAN pool.", v => _wan = v);
        Flags.String("status", "If provided, output is filtered to only nodes matching the regular " +
                               "expression for status.", v => _status = v, ".*");
        Flags.String("segment", "(Enterprise-only) If provided, output is filtered to only nodes in" +
                                "the given segment.", v => _segment = v, "_all");
        Flags.String("filter", "Filter to use with the request", v => _filter = v);
        AddHttpFlags(serverFlags: false, Tenancy.Partition);
    }

    public override string Synopsis => "Lists the members of a Consul cluster";

    protected override string HelpText => """

        Usage: consul members [options]

          Outputs the members of a running Consul agent.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is null) return 1;
        Regex statusRe;
        try
        {
            statusRe = new Regex(_status, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            ctx.Err($"Failed to compile status regexp: error parsing regexp: {e.Message}");
            return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;

        var query = new List<KeyValuePair<string, string>> { new("segment", _segment) };
        if (_wan) query.Add(new("wan", "1"));
        if (_filter.Length > 0) query.Add(new("filter", _filter));
        JsonArray members;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/members", query);
            members = JsonNode.Parse(resp.Body)?.AsArray() ?? [];
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error retrieving members: {e.Message}");
            return 1;
        }

        var rows = new List<Member>();
        foreach (var m in members)
        {
            if (m is null) continue;
            var member = Member.From(m);
            var tags = member.Tags;
            if (tags.GetValueOrDefault("ap", "") == "") tags["ap"] = "default";
            if (IsDefault(tags["ap"]))
            {
                if (_segment == "_all" && tags.GetValueOrDefault("role") == "consul") tags["segment"] = "<all>";
                else if (tags.GetValueOrDefault("segment", "") == "") tags["segment"] = "<default>";
            }
            else
            {
                tags["segment"] = "";
            }
            if (statusRe.IsMatch(member.StatusText)) rows.Add(member);
        }
        if (rows.Count == 0) return 2;

        rows.Sort(CompareMembers);
        var lines = _detailed ? DetailedOutput(rows) : StandardOutput(rows);
        ctx.Out(TableFormat.Columnize(lines));
        return 0;
    }

    private static bool IsDefault(string partition) => partition is "" or "default";

    // Servers first, then the default partition, then by segment, partition and name.
    private static int CompareMembers(Member a, Member b)
    {
        bool aServer = a.Tag("role") == "consul", bServer = b.Tag("role") == "consul";
        if (aServer != bServer) return aServer ? -1 : 1;
        bool aDefault = IsDefault(a.Tag("ap")), bDefault = IsDefault(b.Tag("ap"));
        if (aDefault != bDefault) return aDefault ? -1 : 1;
        var c = string.CompareOrdinal(a.Tag("segment"), b.Tag("segment"));
        if (c != 0) return c;
        c = string.CompareOrdinal(a.Tag("ap"), b.Tag("ap"));
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }

    private static List<string> StandardOutput(List<Member> members)
    {
        const char d = TableFormat.Delim;
        var result = new List<string> { string.Join(d, "Node", "Address", "Status", "Type", "Build", "Protocol", "DC", "Partition", "Segment") };
        foreach (var m in members)
        {
            var build = m.Tag("build");
            if (build == "") build = "< 0.3";
            else if (build.IndexOf(':') is var idx and >= 0) build = build[..idx];
            var type = m.Tag("role") switch { "node" => "client", "consul" => "server", _ => null };
            result.Add(type is null
                ? string.Join(d, m.Name, m.Address, m.StatusText, "unknown", "", "", "", "", "")
                : string.Join(d, m.Name, m.Address, m.StatusText, type, build, m.Tag("vsn"), m.Tag("dc"), m.Tag("ap"), m.Tag("segment")));
        }
        return result;
    }

    private static List<string> DetailedOutput(List<Member> members)
    {
        const char d = TableFormat.Delim;
        var result = new List<string> { string.Join(d, "Node", "Address", "Status", "Tags") };
        foreach (var m in members)
        {
            var tags = string.Join(',', m.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"));
            result.Add(string.Join(d, m.Name, m.Address, m.StatusText, tags));
        }
        return result;
    }

    private sealed record Member(string Name, string Address, string StatusText, Dictionary<string, string> Tags)
    {
        public string Tag(string key) => Tags.GetValueOrDefault(key, "");

        public static Member From(JsonNode m)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (m["Tags"] is JsonObject t)
                foreach (var (k, v) in t) tags[k] = v?.GetValue<string>() ?? "";
            var addr = m["Addr"]?.GetValue<string>() ?? "";
            var port = m["Port"]?.GetValue<int>() ?? 0;
            var status = m["Status"]?.GetValue<int>() ?? 0;
            return new Member(m["Name"]?.GetValue<string>() ?? "", TcpAddr(addr, port), StatusString(status), tags);
        }

        // net.TCPAddr.String(): IPv6 in brackets, an unparsable IP prints as empty.
        private static string TcpAddr(string ip, int port)
        {
            if (!IPAddress.TryParse(ip, out var parsed)) return $":{port}";
            if (parsed.IsIPv4MappedToIPv6) parsed = parsed.MapToIPv4();
            return parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{parsed}]:{port}" : $"{parsed}:{port}";
        }

        private static string StatusString(int s) => s switch
        {
            0 => "none",
            1 => "alive",
            2 => "leaving",
            3 => "left",
            4 => "failed",
            _ => $"unknown MemberStatus {s}",
        };
    }
}
