using System.Globalization;
using System.Text;

namespace Consul.Agent.Cli;

/// <summary>How a flag's value is typed; decides Go's placeholder name in usage output.</summary>
internal enum GoFlagKind { Bool, String, Uint, Int, Value }

/// <summary>One flag definition, in the manner of Go's flag.Flag.</summary>
internal sealed class GoFlag
{
    public required string Name { get; init; }
    public required string Usage { get; init; }
    public required GoFlagKind Kind { get; init; }
    /// <summary>Default rendered as Go's flag.DefValue.</summary>
    public string DefValue { get; init; } = "";
    /// <summary>Applies a value; returns an error text (Go's Set error) or null.</summary>
    public required Func<string, string?> Set { get; init; }
    /// <summary>True for the HTTP API client/server flags, which Consul's help lists first.</summary>
    public bool IsHttp { get; init; }
}

/// <summary>Thrown by <see cref="GoFlagSet.Parse"/> after it has printed Go's error and usage.</summary>
internal sealed class GoFlagParseException(string message) : Exception(message);

/// <summary>
/// Go's flag package semantics (ContinueOnError): single or double dash, -f=v or -f v,
/// boolean flags only take =v, parsing stops at the first non-flag or after "--".
/// </summary>
internal sealed class GoFlagSet
{
    private readonly SortedDictionary<string, GoFlag> _flags = new(StringComparer.Ordinal);

    public IEnumerable<GoFlag> Flags => _flags.Values;

    public void Add(GoFlag flag) => _flags[flag.Name] = flag;

    public void Bool(string name, string usage, Action<bool> set, bool isHttp = false) =>
        Add(new GoFlag
        {
            Name = name, Usage = usage, Kind = GoFlagKind.Bool, DefValue = "false", IsHttp = isHttp,
            Set = v =>
            {
                if (!TryParseGoBool(v, out var b)) return "parse error";
                set(b);
                return null;
            },
        });

    public void String(string name, string usage, Action<string> set, string defValue = "") =>
        Add(new GoFlag { Name = name, Usage = usage, Kind = GoFlagKind.String, DefValue = defValue, Set = v => { set(v); return null; } });

    public void Uint64(string name, string usage, Action<ulong> set) =>
        Add(new GoFlag
        {
            Name = name, Usage = usage, Kind = GoFlagKind.Uint, DefValue = "0",
            Set = v => ParseGoUint(v, out var n) is { } err ? err : Apply(() => set(n)),
        });

    public void Int(string name, string usage, Action<int> set) =>
        Add(new GoFlag
        {
            Name = name, Usage = usage, Kind = GoFlagKind.Int, DefValue = "0",
            Set = v => ParseGoInt(v, out var n) is { } err ? err : Apply(() => set(n)),
        });

    /// <summary>A custom flag.Value (Consul's StringValue, FlagMapValue, AppendSliceValue).</summary>
    public void Value(string name, string usage, Func<string, string?> set, bool isHttp = false) =>
        Add(new GoFlag { Name = name, Usage = usage, Kind = GoFlagKind.Value, Set = set, IsHttp = isHttp });

    private static string? Apply(Action a) { a(); return null; }

    /// <summary>
    /// Parses <paramref name="args"/>; returns the positional remainder. On error writes
    /// Go's message plus default usage to <paramref name="stderr"/> and throws.
    /// </summary>
    public IReadOnlyList<string> Parse(IReadOnlyList<string> args, TextWriter stderr)
    {
        var i = 0;
        while (i < args.Count)
        {
            var s = args[i];
            if (s.Length < 2 || s[0] != '-') break;
            var minuses = 1;
            if (s[1] == '-')
            {
                minuses = 2;
                if (s.Length == 2) { i++; break; }
            }
            var name = s[minuses..];
            if (name.Length == 0 || name[0] == '-' || name[0] == '=')
                Fail(stderr, $"bad flag syntax: {s}");
            i++;
            string? value = null;
            var eq = name.IndexOf('=', 1);
            if (eq >= 1)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            if (!_flags.TryGetValue(name, out var flag))
                Fail(stderr, $"flag provided but not defined: -{name}");
            if (flag!.Kind == GoFlagKind.Bool)
            {
                if (value is null) flag.Set("true");
                else if (flag.Set(value) is not null) Fail(stderr, $"invalid boolean value {GoQuote(value)} for -{name}: parse error");
                continue;
            }
            if (value is null)
            {
                if (i >= args.Count) Fail(stderr, $"flag needs an argument: -{name}");
                value = args[i++];
            }
            if (flag.Set(value) is { } err) Fail(stderr, $"invalid value {GoQuote(value)} for flag -{name}: {err}");
        }
        return args.Skip(i).ToList();
    }

    private void Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine(message);
        stderr.Write("Usage:\n");
        stderr.Write(PrintDefaults());
        throw new GoFlagParseException(message);
    }

    /// <summary>Go's FlagSet.PrintDefaults text.</summary>
    public string PrintDefaults()
    {
        var sb = new StringBuilder();
        foreach (var f in _flags.Values)
        {
            var line = new StringBuilder("  -").Append(f.Name);
            var (typeName, usage) = UnquoteUsage(f);
            if (typeName.Length > 0) line.Append(' ').Append(typeName);
            line.Append(line.Length <= 4 ? "\t" : "\n    \t");
            line.Append(usage.Replace("\n", "\n    \t"));
            if (!IsZeroValue(f))
                line.Append(f.Kind == GoFlagKind.String ? $" (default {GoQuote(f.DefValue)})" : $" (default {f.DefValue})");
            sb.Append(line).Append('\n');
        }
        return sb.ToString();
    }

    private static bool IsZeroValue(GoFlag f) => f.Kind switch
    {
        GoFlagKind.Bool => f.DefValue == "false",
        GoFlagKind.Uint or GoFlagKind.Int => f.DefValue == "0",
        _ => f.DefValue.Length == 0,
    };

    /// <summary>Go's flag.UnquoteUsage: a `name` in back quotes, else a name from the type.</summary>
    public static (string Name, string Usage) UnquoteUsage(GoFlag f)
    {
        var u = f.Usage;
        var first = u.IndexOf('`');
        if (first >= 0)
        {
            var second = u.IndexOf('`', first + 1);
            if (second >= 0)
                return (u[(first + 1)..second], u[..first] + u[(first + 1)..second] + u[(second + 1)..]);
        }
        var name = f.Kind switch
        {
            GoFlagKind.Bool => "",
            GoFlagKind.String => "string",
            GoFlagKind.Uint => "uint",
            GoFlagKind.Int => "int",
            _ => "value",
        };
        return (name, u);
    }

    /// <summary>strconv.ParseBool.</summary>
    public static bool TryParseGoBool(string s, out bool value)
    {
        switch (s)
        {
            case "1": case "t": case "T": case "TRUE": case "true": case "True":
                value = true; return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False":
                value = false; return true;
            default:
                value = false; return false;
        }
    }

    private static string? ParseGoUint(string s, out ulong n)
    {
        n = 0;
        if (s.Length == 0 || !s.All(char.IsAsciiDigit)) return "parse error";
        return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) ? null : "value out of range";
    }

    private static string? ParseGoInt(string s, out int n)
    {
        n = 0;
        var digits = s.StartsWith('-') || s.StartsWith('+') ? s[1..] : s;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)) return "parse error";
        // Go's int is 64-bit; ports and the like fit in int here, larger values are out of range.
        return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n) ? null : "value out of range";
    }

    /// <summary>Go's %q for plain strings.</summary>
    public static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f) sb.Append($"\\x{(int)c:x2}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
