using System.Text;

namespace Consul.Agent.Cli;

/// <summary>
/// The two table layouts Consul's CLI uses: ryanuber/columnize (cells joined by two
/// spaces, last column unpadded) and Go's text/tabwriter (minwidth 0, padding 6).
/// </summary>
internal static class TableFormat
{
    /// <summary>Field delimiter Consul passes to columnize.</summary>
    public const char Delim = '\x1f';

    /// <summary>columnize.Format with Delim 0x1f and default glue "  ".</summary>
    public static string Columnize(IEnumerable<string> lines)
    {
        var rows = lines.Select(l => l.Split(Delim).Select(e => e.Trim()).ToArray()).ToList();
        var widths = new List<int>();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (widths.Count <= i) widths.Add(0);
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (i == row.Length - 1) sb.Append(row[i]).Append('\n');
                else sb.Append(row[i].PadRight(widths[i])).Append("  ");
            }
        }
        if (sb.Length > 0 && sb[^1] == '\n') sb.Length--;
        return sb.ToString();
    }

    /// <summary>
    /// text/tabwriter with minwidth 0, padding 6, pad char ' ', no flags. Tab-terminated
    /// cells are aligned per column block (consecutive lines sharing the column); the text
    /// after a line's last tab is written as is.
    /// </summary>
    public static string TabWriter(string text, int padding = 6)
    {
        var lines = text.Split('\n').Select(l => l.Split('\t')).ToList();
        var sb = new StringBuilder();
        FormatBlock(sb, lines, 0, lines.Count, new List<int>(), padding);
        return sb.ToString();
    }

    // Mirrors tabwriter's recursive format: column `widths.Count` is sized over each run
    // of lines that have a terminated cell in it.
    private static int FormatBlock(StringBuilder sb, List<string[]> lines, int line0, int line1, List<int> widths, int padding)
    {
        var column = widths.Count;
        for (var this_ = line0; this_ < line1; this_++)
        {
            var cells = lines[this_];
            if (column >= cells.Length - 1) continue;
            // Write lines above the block with the widths known so far.
            WriteLines(sb, lines, line0, this_, widths, lines.Count);
            line0 = this_;
            var width = 0;
            for (; this_ < line1; this_++)
            {
                cells = lines[this_];
                if (column >= cells.Length - 1) break;
                width = Math.Max(width, cells[column].Length + padding);
            }
            widths.Add(width);
            line0 = FormatBlock(sb, lines, line0, this_, widths, padding);
            widths.RemoveAt(widths.Count - 1);
            this_ = line0 - 1;
        }
        WriteLines(sb, lines, line0, line1, widths, lines.Count);
        return line1;
    }

    private static void WriteLines(StringBuilder sb, List<string[]> lines, int from, int to, List<int> widths, int total)
    {
        for (var i = from; i < to; i++)
        {
            var cells = lines[i];
            for (var j = 0; j < cells.Length; j++)
            {
                if (j < cells.Length - 1 && j < widths.Count) sb.Append(cells[j].PadRight(widths[j]));
                else sb.Append(cells[j]);
            }
            if (i < total - 1) sb.Append('\n');
        }
    }
}
