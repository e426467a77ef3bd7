using Consul.Core.Dns;

namespace Consul.Tests.Dns;

public class PacketGuardTests
{
    private static byte[] Valid => RawDns.Query(7, "web.service.consul", 1);

    [Fact]
    public void WellFormedQueries_AreAccepted()
    {
        Assert.Equal(PacketVerdict.Accept, PacketGuard.Check(Valid));
        Assert.Equal(PacketVerdict.Accept, PacketGuard.Check(RawDns.Query(7, "web.service.consul", 33, ednsSize: 4096)));
    }

    [Fact]
    public void ShortPacketsAndResponses_AreDropped()
    {
        Assert.Equal(PacketVerdict.Drop, PacketGuard.Check([]));
        Assert.Equal(PacketVerdict.Drop, PacketGuard.Check(Valid[..11]));
        var response = Valid;
        response[2] |= 0x80;
        Assert.Equal(PacketVerdict.Drop, PacketGuard.Check(response));
    }

    [Fact]
    public void OtherOpcodes_AreNotImplemented()
    {
        var status = Valid;
        status[2] = (byte)((2 << 3) | 0x01);
        Assert.Equal(PacketVerdict.NotImplemented, PacketGuard.Check(status));
        var reply = PacketGuard.Reply(status, PacketVerdict.NotImplemented)!;
        Assert.Equal((7, 4, true), (RawDns.Id(reply), RawDns.Rcode(reply), RawDns.IsResponse(reply)));
        Assert.Equal(2, (reply[2] >> 3) & 0x0F); // opcode echoed
    }

    [Theory]
    [InlineData(4, 0)]      // no question
    [InlineData(4, 2)]      // two questions
    [InlineData(6, 1)]      // an answer in a query
    [InlineData(8, 1)]      // an authority record
    [InlineData(10, 0xFF)]  // huge additional count
    [InlineData(4, 0xFF)]   // huge question count
    public void BadCounts_AreFormErr(int offset, int value)
    {
        var p = Valid;
        p[offset] = 0;
        p[offset + 1] = (byte)value;
        if (value == 0xFF) p[offset] = 0xFF;
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(p));
    }

    [Fact]
    public void TruncatedNamesAndQuestions_AreFormErr()
    {
        var p = Valid;
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(p[..(p.Length - 2)]));
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(p[..15]));
    }

    [Fact]
    public void CompressionLoops_AndForwardPointers_AreFormErr()
    {
        byte[] header = [0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        byte[] selfLoop = [.. header, 0xC0, 12, 0, 1, 0, 1];
        byte[] forward = [.. header, 0xC0, 14, 1, (byte)'a', 0, 0, 1, 0, 1];
        byte[] twoStep = [.. header, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1]; // label then a pointer back to itself
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(selfLoop));
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(forward));
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(twoStep));
        Assert.Equal(1, RawDns.Rcode(PacketGuard.Reply(selfLoop, PacketVerdict.FormatError)!));
    }

    [Fact]
    public void OverlongLabelsAndNames_AreFormErr()
    {
        byte[] header = [0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        byte[] label64 = [.. header, 64, .. new byte[64], 0, 0, 1, 0, 1];
        var longName = new List<byte>(header);
        for (var i = 0; i < 5; i++) { longName.Add(60); longName.AddRange(new byte[60]); }
        longName.AddRange([0, 0, 1, 0, 1]);
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(label64));
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(longName.ToArray()));
    }

    [Fact]
    public void AdditionalRecordsOtherThanOpt_AreFormErr()
    {
        var p = RawDns.Query(7, "a.consul", 1, ednsSize: 1232);
        p[^9] = 250; // OPT → TSIG type
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(p));
        var badOptions = RawDns.Query(7, "a.consul", 1, ednsSize: 1232);
        badOptions[^1] = 3; // rdlength 3 past the end
        Assert.Equal(PacketVerdict.FormatError, PacketGuard.Check(badOptions));
    }
}
