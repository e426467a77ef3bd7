using System.Reflection;
using System.Text.Json.Serialization;
using Consul.Core.Events;
using MudBlazor;

namespace Consul.Ui.Views;

/// <summary>Names and colours for event types, taken from the stream's own JSON discriminators.</summary>
public static class EventKinds
{
    private static readonly Dictionary<Type, string> Names = typeof(ClusterEvent)
        .GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => a.TypeDiscriminator?.ToString() ?? a.DerivedType.Name);

    /// <summary>Every event type name, in declaration order ("member-joined", "kv-put", ...).</summary>
    public static IReadOnlyList<string> All { get; } = Names.Values.ToList();

    public static string TypeOf(ClusterEvent e) => Names.GetValueOrDefault(e.GetType(), e.GetType().Name);

    public static Color ColorOf(ClusterEvent e) => e switch
    {
        MemberFailed or LeaderLost => Color.Error,
        MemberLeft or MemberReaped or PeerRemoved or NodeDeregistered or ServiceDeregistered or KVDeleted => Color.Warning,
        LeaderElected => Color.Primary,
        CheckStatusChanged c => c.NewStatus switch { "passing" => Color.Success, "warning" => Color.Warning, _ => Color.Error },
        MemberJoined or PeerAdded or NodeRegistered or ServiceRegistered => Color.Success,
        _ => Color.Info,
    };
}
