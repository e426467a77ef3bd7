using Consul.Core.Checks;
using System.Text;

namespace Consul.Tests.Checks;

public class OutputBufferTests
{
    [Fact]
    public void KeepsEverythingBelowCapacity()
    {
        var b = new OutputBuffer(10);
        b.Write("abc"u8);
        b.Write("def"u8);
        Assert.Equal("abcdef", b.ToString());
        Assert.Equal("abcdef", b.ToCapturedOutput());
    }

    [Fact]
    public void KeepsTheTailAcrossWrites()
    {
        var b = new OutputBuffer(4);
        b.Write("abc"u8);
        b.Write("defg"u8);
        b.Write("h"u8);
        Assert.Equal("efgh", b.ToString());
        Assert.Equal(8, b.TotalWritten);
        Assert.Equal("Captured 4 of 8 bytes\n...\nefgh", b.ToCapturedOutput());
    }

    [Fact]
    public void OneLargeWriteKeepsItsTail()
    {
        var b = new OutputBuffer(3);
        b.Write(Encoding.ASCII.GetBytes("0123456789"));
        Assert.Equal("789", b.ToString());
    }

    [Fact]
    public void TtlOutputIsCutAtTheFront()
    {
        Assert.Equal("short", OutputBuffer.TruncateTtlOutput("short", 10));
        Assert.Equal("01234 ... (captured 5 of 10 bytes)", OutputBuffer.TruncateTtlOutput("0123456789", 5));
    }
}
