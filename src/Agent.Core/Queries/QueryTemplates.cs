using System.Text.RegularExpressions;
using Consul.Core.State;

namespace Consul.Core.Queries;

/// <summary>
/// Consul's prepared-query templates (structs/prepared_query_template.go): a query of type
/// name_prefix_match answers every name starting with its own Name; its string fields may use
/// ${name.full}, ${name.prefix}, ${name.suffix}, ${match(N)} (captures of Template.Regexp
/// against the full name) and ${agent.segment}, filled in when the query is resolved.
/// </summary>
public static partial class QueryTemplates
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    /// <summary>Consul's template compile checks; null when the template is valid (or absent).</summary>
    public static string? Validate(QueryTemplate template)
    {
        if (template.Type == "") return null;
        if (template.Type != QueryTemplate.NamePrefixMatch) return $"Bad Template.Type '{template.Type}'";
        if (template.Regexp == "") return null;
        try
        {
            _ = new Regex(template.Regexp, RegexOptions.None, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return $"Bad Regexp: {e.Message}";
        }
    }

    /// <summary>The template rendered for <paramref name="fullName"/>; non-templates come back unchanged.</summary>
    public static PreparedQuery Render(PreparedQuery query, string fullName, string agentSegment = "")
    {
        if (!query.IsTemplate) return query;
        string[] captures = [];
        if (query.Template.Regexp != "")
        {
            try
            {
                var m = new Regex(query.Template.Regexp, RegexOptions.None, MatchTimeout).Match(fullName);
                if (m.Success) captures = m.Groups.Cast<Group>().Select(g => g.Value).ToArray();
            }
            catch (RegexMatchTimeoutException)
            {
                // A pathological pattern captures nothing rather than stall a lookup.
            }
        }
        var suffix = fullName.StartsWith(query.Name, StringComparison.Ordinal) ? fullName[query.Name.Length..] : "";
        string Fill(string s) => s.Contains("${", StringComparison.Ordinal)
            ? Placeholder().Replace(s, m => m.Groups["var"].Value switch
            {
                "name.full" => fullName,
                "name.prefix" => query.Name,
                "name.suffix" => suffix,
                "agent.segment" => agentSegment,
                _ when m.Groups["n"].Success => int.TryParse(m.Groups["n"].Value, out var n) && n < captures.Length ? captures[n] : "",
                _ => m.Value,
            })
            : s;
        List<string>? FillList(List<string>? l) => l?.Select(Fill).ToList();
        Dictionary<string, string>? FillMap(Dictionary<string, string>? d) => d?.ToDictionary(p => Fill(p.Key), p => Fill(p.Value));

        var svc = query.Service;
        var tags = FillList(svc.Tags);
        if (query.Template.RemoveEmptyTags && tags is not null) tags = tags.Where(t => t != "").ToList();
        return query with
        {
            Session = Fill(query.Session),
            Token = Fill(query.Token),
            Service = svc with
            {
                Service = Fill(svc.Service),
                Near = Fill(svc.Near),
                Tags = tags,
                IgnoreCheckIDs = FillList(svc.IgnoreCheckIDs),
                NodeMeta = FillMap(svc.NodeMeta),
                ServiceMeta = FillMap(svc.ServiceMeta),
                Failover = svc.Failover with { Datacenters = FillList(svc.Failover.Datacenters) },
            },
            DNS = query.DNS with { TTL = Fill(query.DNS.TTL) },
        };
    }

    [GeneratedRegex(@"\$\{\s*(?<var>name\.full|name\.prefix|name\.suffix|agent\.segment|match\(\s*(?<n>\d+)\s*\))\s*\}")]
    private static partial Regex Placeholder();
}
