using Consul.Agent.Cli;

namespace Consul.Tests.Cli;

public sealed class FormatTests
{
    [Fact]
    public void Columnize_pads_all_but_the_last_column_with_two_spaces()
    {
        var s = TableFormat.Columnize(["a\u001fbb\u001fc", "ccc\u001fd\u001feeee"]);

        Assert.Equal("a    bb  c\nccc  d   eeee", s);
    }

    [Fact]
    public void TabWriter_aligns_column_blocks_with_padding_6()
    {
        var s = TableFormat.TabWriter("Key\tv1\nLongerKey\tv2\nnotab\nx\ty\n");

        Assert.Equal("Key            v1\nLongerKey      v2\nnotab\nx      y\n", s);
    }

    [Fact]
    public void TabWriter_handles_nested_columns()
    {
        var s = TableFormat.TabWriter("a\tb\tc\naaa\tb\nz\n");

        Assert.Equal("a        b      c\naaa      b\nz\n", s);
    }

    [Fact]
    public void Wrap_minimises_raggedness_like_kr_text()
    {
        // Greedy wrapping gives "aaa bb / cc / ddddd" (slack 0 + 16); this costs 9 + 1.
        var s = TextWrap.Wrap("aaa bb cc ddddd", 6);

        Assert.Equal("aaa\nbb cc\nddddd", s);
    }

    [Fact]
    public void Wrap_keeps_short_text_on_one_line()
    {
        Assert.Equal("short text", TextWrap.Wrap("  short text ", 67));
    }

    [Fact]
    public void Go_url_escaping_matches_net_url()
    {
        Assert.Equal("/v1/kv/a%20b/c%3Fd/$&+,:;=@", GoUrl.EscapePath("/v1/kv/a b/c?d/$&+,:;=@"));
        Assert.Equal("a=1&b=x+y&b=%2F", GoUrl.EncodeQuery([new("b", "x y"), new("a", "1"), new("b", "/")]));
    }

    [Theory]
    [InlineData("aGVsbG8=", true, "")]
    [InlineData("aGVsbG8", false, "illegal base64 data at input byte 4")]
    [InlineData("a!", false, "illegal base64 data at input byte 1")]
    public void Go_base64_errors_name_the_offset(string input, bool ok, string error)
    {
        Assert.Equal(ok, GoBase64.TryDecode(input, out _, out var err));
        Assert.Equal(error, err);
    }

    [Fact]
    public void Go_flag_parsing_stops_at_first_positional_and_after_double_dash()
    {
        var fs = new GoFlagSet();
        var detailed = false;
        string name = "";
        fs.Bool("detailed", "", v => detailed = v);
        fs.String("name", "", v => name = v);

        var rest = fs.Parse(["--name", "x", "-detailed", "key", "-name=y"], TextWriter.Null);
        var afterDash = fs.Parse(["--", "-detailed"], TextWriter.Null);

        Assert.True(detailed);
        Assert.Equal("x", name);
        Assert.Equal(["key", "-name=y"], rest);
        Assert.Equal(["-detailed"], afterDash);
    }
}
