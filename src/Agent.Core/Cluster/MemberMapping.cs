using Consul.Core.Gossip.Serf;

namespace Consul.Core.Cluster;

/// <summary>Turns Serf members into the records the API, the UI and the leader's reconcile loop read.</summary>
public static class MemberMapping
{
    /// <summary>Status code Consul uses for a member Serf reaped (its StatusReap); never shown by the API.</summary>
    public const int StatusReap = -1;

    public static MemberInfo ToMemberInfo(Member m) => new()
    {
        Name = m.Name,
        Addr = m.Addr.ToString(),
        Port = m.Port,
        Tags = new Dictionary<string, string>(m.Tags, StringComparer.Ordinal),
        Status = StatusCode(m.Status),
        ProtocolMin = m.ProtocolMin,
        ProtocolMax = m.ProtocolMax,
        ProtocolCur = m.ProtocolCur,
        DelegateMin = m.DelegateMin,
        DelegateMax = m.DelegateMax,
        DelegateCur = m.DelegateCur,
    };

    /// <summary>
    /// The member as the reconcile loop should see the event: a reap carries
    /// <see cref="StatusReap"/> (Consul overrides the status the same way), every other
    /// event the member's own status.
    /// </summary>
    public static MemberInfo ForReconcile(MemberEvent e)
    {
        var info = ToMemberInfo(e.Member);
        return e.Type == MemberEventType.Reap ? info with { Status = StatusReap } : info;
    }

    public static int StatusCode(MemberStatus status) => status switch
    {
        MemberStatus.Alive => MemberInfo.StatusAlive,
        MemberStatus.Leaving => MemberInfo.StatusLeaving,
        MemberStatus.Left => MemberInfo.StatusLeft,
        MemberStatus.Failed => MemberInfo.StatusFailed,
        _ => MemberInfo.StatusNone,
    };
}
