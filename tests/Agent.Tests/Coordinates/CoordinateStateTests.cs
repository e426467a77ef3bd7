using Consul.Core.Events;
using Consul.Core.Gossip.Coordinates;
using Consul.Core.Queries;
using Consul.Core.State;

namespace Consul.Tests.Coordinates;

/// <summary>Coordinates in the replicated state, and the RTT sort built on them.</summary>
public class CoordinateStateTests
{
    private readonly StateStore _store = new();
    private readonly StateMachine _fsm;
    private ulong _index;

    public CoordinateStateTests() => _fsm = new StateMachine(_store, new EventStream());

    /// <summary>A coordinate <paramref name="ms"/> milliseconds from the origin along the first axis.</summary>
    internal static Coordinate At(double ms) => new([ms / 1000.0, 0, 0, 0, 0, 0, 0, 0], 0.1, 0, 1e-5);

    private ApplyResult Apply(StateCommand c) => _fsm.Apply(++_index, c);

    private void Node(string name) => Assert.True(Apply(new RegisterCommand { Node = name, Address = "10.0.0.1", Datacenter = "dc1" }).Ok);

    private void Coordinates(params (string Node, double Ms)[] at) =>
        Assert.True(Apply(new CoordinateBatchCommand { Updates = at.Select(x => new CoordinateUpdate(x.Node, "", At(x.Ms))).ToList() }).Ok);

    [Fact]
    public void Batch_StoresCoordinatesOfCatalogNodesOnly()
    {
        Node("a");
        Coordinates(("a", 1), ("ghost", 2));
        var s = _store.Current;
        Assert.Equal(["a"], s.Coordinates.Keys);
        Assert.Equal(_index, s.TableIndex(Tables.Coordinates));

        // A batch with nothing to store changes nothing, not even the index.
        var before = s.LastIndex;
        Coordinates(("ghost", 3));
        Assert.Equal(before, _store.Current.LastIndex);
    }

    [Fact]
    public void DeregisteringANode_RemovesItsCoordinates()
    {
        Node("a");
        Node("b");
        Coordinates(("a", 1), ("b", 2));
        Assert.True(Apply(new DeregisterCommand { Node = "a" }).Ok);
        Assert.Equal(["b"], _store.Current.Coordinates.Keys);
    }

    [Fact]
    public void InvalidCoordinates_AreSkipped()
    {
        Node("a");
        var bad = At(1) with { Error = double.NaN };
        Apply(new CoordinateBatchCommand { Updates = [new CoordinateUpdate("a", "", bad)] });
        Assert.Empty(_store.Current.Coordinates);
    }

    [Fact]
    public void SnapshotCodec_CarriesCoordinates()
    {
        Node("a");
        Coordinates(("a", 4));
        var copy = StateSnapshotCodec.FromBytes(StateSnapshotCodec.ToBytes(_store.Current));
        var coord = copy.Coordinates["a"][""];
        Assert.Equal(At(4).Vec, coord.Vec);
        Assert.Equal(At(4).Error, coord.Error);
        // Commands cross the log as JSON too.
        var command = (CoordinateBatchCommand)CommandCodec.Decode(CommandCodec.Encode(new CoordinateBatchCommand { Updates = [new("a", "", At(4))] }));
        Assert.Equal(At(4).Vec, command.Updates[0].Coord.Vec);
    }

    [Fact]
    public void RttSort_NearestFirst_NodesWithoutCoordinatesLast_StableForTies()
    {
        foreach (var n in new[] { "src", "far", "near", "tie1", "tie2", "none" }) Node(n);
        Coordinates(("src", 0), ("far", 50), ("near", 2), ("tie1", 10), ("tie2", 10));
        var items = new List<string> { "none", "far", "tie2", "near", "tie1", "src" };
        RttSort.ByDistanceFrom(_store.Current, "src", items, x => x);
        Assert.Equal(["src", "near", "tie2", "tie1", "far", "none"], items);
    }

    [Fact]
    public void RttSort_WithoutASourceCoordinate_LeavesTheOrder()
    {
        Node("a");
        Node("b");
        Coordinates(("a", 5), ("b", 1));
        var items = new List<string> { "a", "b" };
        RttSort.ByDistanceFrom(_store.Current, "unknown", items, x => x);
        Assert.Equal(["a", "b"], items);
        RttSort.ByDistanceFrom(_store.Current, "", items, x => x);
        Assert.Equal(["a", "b"], items);
        RttSort.ByDistanceFrom(_store.Current, "B", items, x => x); // node names ignore case
        Assert.Equal(["b", "a"], items);
    }
}
