using Consul.Core.Model;

namespace Consul.Core.State;

/// <summary>Session reads; every one reports the sessions table index.</summary>
public static class SessionReads
{
    public static readonly string[] WatchTables = [Tables.Sessions];

    public static QueryResult<List<Session>> Get(StateSnapshot s, string id) =>
        new(s.TableIndex(Tables.Sessions), s.Sessions.TryGetValue(id, out var x) ? [x] : []);

    public static QueryResult<List<Session>> List(StateSnapshot s) =>
        new(s.TableIndex(Tables.Sessions), s.Sessions.Values.ToList());

    public static QueryResult<List<Session>> OnNode(StateSnapshot s, string node) =>
        new(s.TableIndex(Tables.Sessions),
            s.Sessions.Values.Where(x => string.Equals(x.Node, node, StringComparison.OrdinalIgnoreCase)).ToList());
}
