using System.Text;

namespace Consul.Agent.Cli;

/// <summary>
/// Consul's command help layout (command/flags/usage.go): the help text, then
/// "HTTP API Options" and "Command Options" with each flag's usage wrapped at 72 columns.
/// </summary>
internal static class ConsulUsage
{
    private const int MaxLineLength = 72;

    public static string Format(string help, GoFlagSet? flags)
    {
        var sb = new StringBuilder(help.Trim()).Append("\n\n");
        if (flags is not null)
        {
            var http = flags.Flags.Where(f => f.IsHttp).ToList();
            var cmd = flags.Flags.Where(f => !f.IsHttp).ToList();
            if (http.Count > 0)
            {
                sb.Append("HTTP API Options\n\n");
                foreach (var f in http) AppendFlag(sb, f);
            }
            if (cmd.Count > 0)
            {
                sb.Append("Command Options\n\n");
                foreach (var f in cmd) AppendFlag(sb, f);
            }
        }
        return sb.ToString().TrimEnd('\n');
    }

    private static void AppendFlag(StringBuilder sb, GoFlag f)
    {
        var (example, _) = GoFlagSet.UnquoteUsage(f);
        sb.Append(example.Length > 0 ? $"  -{f.Name}=<{example}>\n" : $"  -{f.Name}\n");
        sb.Append(WrapAtLength(f.Usage, 5)).Append("\n\n");
    }

    private static string WrapAtLength(string s, int pad)
    {
        var lines = TextWrap.Wrap(s, MaxLineLength - pad).Split('\n');
        return string.Join("\n", lines.Select(l => new string(' ', pad) + l));
    }
}

/// <summary>
/// Minimum-raggedness word wrap as in github.com/kr/text (used by Consul's help output):
/// squared slack per line, with a large penalty for lines over the limit.
/// </summary>
internal static class TextWrap
{
    private const int Penalty = 100000;

    public static string Wrap(string s, int limit)
    {
        var words = s.Trim().Replace("\n", " ").Split(' ');
        var n = words.Length;
        // length[i][j]: width of words i..j joined by single spaces.
        var length = new int[n, n];
        for (var i = 0; i < n; i++)
        {
            length[i, i] = words[i].Length;
            for (var j = i + 1; j < n; j++) length[i, j] = length[i, j - 1] + 1 + words[j].Length;
        }
        var nbrk = new int[n];
        var cost = new int[n];
        Array.Fill(cost, int.MaxValue);
        for (var i = n - 1; i >= 0; i--)
        {
            if (length[i, n - 1] <= limit || i == n - 1)
            {
                cost[i] = 0;
                nbrk[i] = n;
                continue;
            }
            for (var j = i + 1; j < n; j++)
            {
                var d = limit - length[i, j - 1];
                var c = d * d + cost[j];
                if (length[i, j - 1] > limit) c += Penalty;
                if (c < cost[i])
                {
                    cost[i] = c;
                    nbrk[i] = j;
                }
            }
        }
        var lines = new List<string>();
        for (var i = 0; i < n; i = nbrk[i]) lines.Add(string.Join(' ', words[i..nbrk[i]]));
        return string.Join('\n', lines);
    }
}
