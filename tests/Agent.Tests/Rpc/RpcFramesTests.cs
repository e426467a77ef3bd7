using Consul.Core.Model;
using Consul.Core.Rpc;
using Consul.Core.State;

namespace Consul.Tests.Rpc;

public sealed class RpcFramesTests
{
    [Fact]
    public void Feed_frames_round_trip()
    {
        var frame = new FeedFrame(FeedFrameKind.Heartbeat, 42, new byte[] { 1, 2, 3 }, "10.0.0.1:8300", true);
        var back = RpcFrames.DecodeFeedFrame(RpcFrames.Encode(frame));
        Assert.Equal((frame.Kind, frame.Index, frame.LeaderAddress, frame.KnownLeader), (back.Kind, back.Index, back.LeaderAddress, back.KnownLeader));
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Data.ToArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9 })]
    public void Malformed_feed_frames_are_refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => RpcFrames.DecodeFeedFrame(bytes));

    [Fact]
    public void Apply_results_keep_their_value_type()
    {
        Assert.Equal(true, RpcFrames.DecodeApplyResult(RpcFrames.Encode(new ApplyResult(5, true, null))).Value);
        Assert.Equal("abc", RpcFrames.DecodeApplyResult(RpcFrames.Encode(new ApplyResult(5, "abc", null))).Value);
        var failed = RpcFrames.DecodeApplyResult(RpcFrames.Encode(new ApplyResult(6, null, "bad")));
        Assert.Equal((6UL, (object?)null, "bad"), (failed.Index, failed.Value, failed.Error));

        var kv = new KVEntry { Key = "k", Value = [1, 2], Flags = 3, CreateIndex = 1, ModifyIndex = 2 };
        var txn = new TxnOutcome([new TxnResult(KV: kv)], [new TxnError(1, "nope")]);
        var back = (TxnOutcome)RpcFrames.DecodeApplyResult(RpcFrames.Encode(new ApplyResult(7, txn, null))).Value!;
        Assert.Equal("k", back.Results![0].KV!.Key);
        Assert.Equal(new byte[] { 1, 2 }, back.Results[0].KV!.Value);
        Assert.Equal(new TxnError(1, "nope"), back.Errors![0]);
    }
}
