using System.Text.RegularExpressions;
using Consul.Core.State;

namespace Consul.Core.Queries;

/// <summary>Consul's PreparedQueryResolve: by ID, then exact name, then the longest template prefix.</summary>
public static partial class PreparedQueryLookup
{
    /// <summary>Consul's isUUID: the 8-4-4-4-12 hex form, either case.</summary>
    public static bool IsUuid(string s) => UuidForm().IsMatch(s);

    /// <summary>The query <paramref name="idOrName"/> names, rendered when it is a template; null when none does.</summary>
    public static PreparedQuery? Resolve(StateSnapshot s, string idOrName, string agentSegment = "")
    {
        if (idOrName == "") return null;
        if (IsUuid(idOrName) && s.PreparedQueries.TryGetValue(idOrName.ToLowerInvariant(), out var byId))
            return QueryTemplates.Render(byId, idOrName, agentSegment);
        if (s.PreparedQueries.TryGetValue(idOrName, out byId))
            return QueryTemplates.Render(byId, idOrName, agentSegment);
        PreparedQuery? best = null;
        foreach (var q in s.PreparedQueries.Values)
        {
            if (string.Equals(q.Name, idOrName, StringComparison.OrdinalIgnoreCase))
                return QueryTemplates.Render(q, idOrName, agentSegment);
            if (q.IsTemplate && idOrName.StartsWith(q.Name, StringComparison.OrdinalIgnoreCase)
                && (best is null || q.Name.Length > best.Name.Length))
                best = q;
        }
        return best is null ? null : QueryTemplates.Render(best, idOrName, agentSegment);
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidForm();
}
