using Consul.Core.Events;
using Consul.Ui.Views;

namespace Consul.Tests.Ui;

/// <summary>Which cluster events a token may see: the object each one describes, with the API's read rules.</summary>
public sealed class AclVisibilityTests
{
    private static readonly UiFixture Fixture = UiAcls.Limited();

    public static TheoryData<ClusterEvent, bool> Events() => new()
    {
        { new KVPut("app/config", 1, 0), true },
        { new KVPut("top", 1, 0), false },
        { new KVDeleted("app/", Recursive: true), true },
        { new ServiceRegistered("node1", "web-1", "web"), true },
        { new ServiceRegistered("node2", "db-1", "db"), false },
        // Checks name their service by ID; the name comes from the catalog.
        { new CheckStatusChanged("node1", "service:web-1", "web-1", "critical", "passing", ""), true },
        { new CheckStatusChanged("node2", "service:db-1", "db-1", "passing", "critical", ""), false },
        { new CheckStatusChanged("node2", "serfHealth", "", "passing", "critical", ""), true },
        { new CheckStatusChanged("node9", "service:gone", "gone", "passing", "critical", ""), false },
        { new MemberFailed("node3", "127.0.0.4"), true },
        { new LeaderElected("node1", "127.0.0.2:8300", 3), false },
        { new PeerAdded("id", "127.0.0.3:8300", true), false },
        { new UserEventFired("deploy", "id", 0), false },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Limited_token_sees_events_about_what_it_may_read(ClusterEvent e, bool visible) =>
        Assert.Equal(visible, AclVisibility.CanSee(UiAcls.Checker(Fixture).AuthorizerFor(UiAcls.LimitedSecret), Fixture.Store.Current, e));

    [Fact]
    public void Management_token_sees_raft_and_user_events()
    {
        var root = UiAcls.Checker(Fixture).AuthorizerFor(UiAcls.RootSecret);

        Assert.True(AclVisibility.CanSee(root, Fixture.Store.Current, new LeaderElected("node1", "127.0.0.2:8300", 3)));
        Assert.True(AclVisibility.CanSee(root, Fixture.Store.Current, new UserEventFired("deploy", "id", 0)));
    }

    [Fact]
    public void A_secret_that_no_longer_resolves_sees_nothing()
    {
        var gone = UiAcls.Checker(Fixture).AuthorizerFor("deleted-secret");

        Assert.False(AclVisibility.CanSee(gone, Fixture.Store.Current, new KVPut("app/config", 1, 0)));
        Assert.False(gone.NodeRead("node1"));
    }
}
