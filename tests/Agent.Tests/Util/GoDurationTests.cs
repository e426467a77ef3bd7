using Consul.Core.Util;

namespace Consul.Tests.Util;

public class GoDurationTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("300ms", 300)]
    [InlineData("1h", 3_600_000)]
    [InlineData("0", 0)]
    public void Parses(string text, long ms) =>
        Assert.Equal(TimeSpan.FromMilliseconds(ms), GoDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("s")]
    public void RejectsBadText(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(90_000, "1m30s")]
    [InlineData(10_000, "10s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(300, "300ms")]
    [InlineData(0, "0s")]
    public void FormatsLikeGo(long ms, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(ms)));
}
