using Consul.Core.Queries;
using Consul.Core.State;

namespace Consul.Agent.Http;

/// <summary>?near on catalog and health listings (Consul's parseSource): "_agent" means this agent's node.</summary>
public static class NearSort
{
    public static void Apply<T>(ApiContext api, StateSnapshot s, QueryOptions opts, List<T> items, Func<T, string> nodeOf)
    {
        if (opts.Near == "") return;
        RttSort.ByDistanceFrom(s, opts.Near == "_agent" ? api.Config.NodeName : opts.Near, items, nodeOf);
    }
}
