using Consul.Core.Queries;

namespace Consul.Core.State;

/// <summary>Prepared query set/delete with Consul's integrity rules (state/prepared_query.go).</summary>
internal static class PreparedQueryWrites
{
    public static object? Apply(StateTxn txn, PreparedQueryCommand c) => c.Verb switch
    {
        PreparedQueryCommand.Create or PreparedQueryCommand.Update => Set(txn, c.Query),
        PreparedQueryCommand.Delete => Delete(txn, c.Query.ID),
        _ => throw new StateException($"Unknown prepared query operation: {c.Verb}"),
    };

    private static string Set(StateTxn txn, PreparedQuery query)
    {
        if (query.ID == "") throw new StateException("Missing query ID");
        var all = txn.Snap.PreparedQueries;
        all.TryGetValue(query.ID, out var existing);

        // A name (or the one empty-named template) belongs to one query only.
        if (query.Name != "")
        {
            if (all.Values.FirstOrDefault(q => string.Equals(q.Name, query.Name, StringComparison.OrdinalIgnoreCase)) is { } alias
                && alias.ID != query.ID)
                throw new StateException($"name '{query.Name}' aliases an existing query name");
        }
        else if (query.IsTemplate)
        {
            if (all.Values.FirstOrDefault(q => q.IsTemplate && q.Name == "") is { } other && other.ID != query.ID)
                throw new StateException("a query template with an empty name already exists");
        }
        // Queries are looked up by ID first, so a name equal to another query's ID could hijack it.
        if (PreparedQueryLookup.IsUuid(query.Name) && all.ContainsKey(query.Name))
            throw new StateException($"name '{query.Name}' aliases an existing query ID");
        if (query.Session != "" && !txn.Snap.Sessions.ContainsKey(query.Session))
            throw new StateException($"invalid session \"{query.Session}\"");
        if (QueryTemplates.Validate(query.Template) is { } bad) throw new StateException(bad);

        var stored = query with
        {
            CreateIndex = existing?.CreateIndex ?? txn.Index,
            ModifyIndex = txn.Index,
        };
        txn.Update(s => s with { PreparedQueries = s.PreparedQueries.SetItem(stored.ID, stored) }, Tables.PreparedQueries);
        return stored.ID;
    }

    private static bool Delete(StateTxn txn, string id)
    {
        if (!txn.Snap.PreparedQueries.ContainsKey(id)) return true;
        txn.Update(s => s with { PreparedQueries = s.PreparedQueries.Remove(id) }, Tables.PreparedQueries);
        return true;
    }
}
