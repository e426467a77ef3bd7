using System.Globalization;
using System.Text;

namespace Consul.Agent.Config;

/// <summary>
/// Parses HCL (version 1, as Consul's config files use it) into the same object tree as JSON:
/// "key = value", "key { ... }" blocks (also with labels: a "b" { } is a = { b = { } }),
/// lists, strings with escapes, heredocs, numbers, booleans and #, // and /* */ comments.
/// A key given several blocks becomes a list; repeated "service"/"check" blocks join
/// "services"/"checks".
/// </summary>
internal sealed class HclConfigReader
{
    private readonly string _s;
    private int _pos;

    private HclConfigReader(string text) => _s = text;

    public static Dictionary<string, object?> Parse(string text)
    {
        var r = new HclConfigReader(text);
        var root = r.ParseItems(endChar: null);
        MoveRepeated(root, "service", "services");
        MoveRepeated(root, "check", "checks");
        return root;
    }

    private static void MoveRepeated(Dictionary<string, object?> root, string single, string plural)
    {
        if (root.GetValueOrDefault(single) is not List<object?> { Count: > 1 } many) return;
        root.Remove(single);
        var list = root.GetValueOrDefault(plural) as List<object?> ?? [];
        list.AddRange(many);
        root[plural] = list;
    }

    private Dictionary<string, object?> ParseItems(char? endChar)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (_pos >= _s.Length)
            {
                if (endChar is not null) throw Error("object expected closing RBRACE got: EOF");
                return result;
            }
            if (endChar is { } end && _s[_pos] == end) { _pos++; return result; }
            var keys = new List<string> { ParseKey() };
            object? value;
            while (true)
            {
                SkipSpace();
                if (_pos >= _s.Length) throw Error("expected: IDENT | STRING | ASSIGN | LBRACE got: EOF");
                var ch = _s[_pos];
                if (ch == '=') { _pos++; value = ParseValue(); break; }
                if (ch == '{') { _pos++; value = ParseItems('}'); break; }
                if (ch == '"' || IsIdentStart(ch)) { keys.Add(ParseKey()); continue; }
                throw Error($"expected: IDENT | STRING | ASSIGN | LBRACE got: {Describe(ch)}");
            }
            for (var i = keys.Count - 1; i >= 1; i--)
                value = new Dictionary<string, object?>(StringComparer.Ordinal) { [keys[i]] = value };
            Assign(result, keys[0], value);
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == ',') _pos++;
        }
    }

    private static void Assign(Dictionary<string, object?> target, string key, object? value)
    {
        if (!target.TryGetValue(key, out var existing) || value is not Dictionary<string, object?>)
        {
            target[key] = value;
            return;
        }
        switch (existing)
        {
            case Dictionary<string, object?> first:
                target[key] = new List<object?> { first, value };
                break;
            case List<object?> list when list.All(x => x is Dictionary<string, object?>):
                list.Add(value);
                break;
            default:
                target[key] = value;
                break;
        }
    }

    private string ParseKey()
    {
        SkipSpace();
        if (_s[_pos] == '"') return ParseString();
        var start = _pos;
        while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] is '_' or '-' or '.')) _pos++;
        if (start == _pos) throw Error($"expected: IDENT | STRING got: {Describe(_s[_pos])}");
        return _s[start.._pos];
    }

    private object? ParseValue()
    {
        SkipSpace();
        if (_pos >= _s.Length) throw Error("Unknown token: EOF");
        var ch = _s[_pos];
        switch (ch)
        {
            case '"':
                return ParseString();
            case '{':
                _pos++;
                return ParseItems('}');
            case '[':
                _pos++;
                return ParseList();
            case '<' when _pos + 1 < _s.Length && _s[_pos + 1] == '<':
                return ParseHeredoc();
        }
        if (ch == '-' || char.IsAsciiDigit(ch)) return ParseNumber();
        var start = _pos;
        while (_pos < _s.Length && (char.IsLetterOrDigit(_s[_pos]) || _s[_pos] == '_')) _pos++;
        var word = _s[start.._pos];
        return word switch
        {
            "true" => true,
            "false" => false,
            _ => throw ErrorAt(start, $"Unknown token: {(word.Length > 0 ? "IDENT " + word : Describe(ch))}"),
        };
    }

    private List<object?> ParseList()
    {
        var list = new List<object?>();
        while (true)
        {
            SkipSpace();
            if (_pos >= _s.Length) throw Error("list expected closing RBRACK got: EOF");
            if (_s[_pos] == ']') { _pos++; return list; }
            list.Add(ParseValue());
            SkipSpace();
            if (_pos < _s.Length && _s[_pos] == ',') { _pos++; continue; }
            if (_pos < _s.Length && _s[_pos] == ']') { _pos++; return list; }
            throw Error("list expected comma or closing RBRACK");
        }
    }

    private double ParseNumber()
    {
        var start = _pos;
        if (_s[_pos] == '-') _pos++;
        while (_pos < _s.Length && (char.IsAsciiDigit(_s[_pos]) || _s[_pos] is '.' or 'e' or 'E' or '+'
                                    || (_s[_pos] == '-' && _s[_pos - 1] is 'e' or 'E'))) _pos++;
        var text = _s[start.._pos];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            throw ErrorAt(start, $"illegal number: {text}");
        return d;
    }

    private string ParseString()
    {
        var start = _pos;
        _pos++; // opening quote
        var sb = new StringBuilder();
        while (_pos < _s.Length)
        {
            var ch = _s[_pos++];
            if (ch == '"') return sb.ToString();
            if (ch == '\n') break;
            if (ch != '\\') { sb.Append(ch); continue; }
            if (_pos >= _s.Length) break;
            var esc = _s[_pos++];
            switch (esc)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case 'u' when _pos + 4 <= _s.Length:
                    sb.Append((char)int.Parse(_s.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _pos += 4;
                    break;
                default: sb.Append('\\').Append(esc); break;
            }
        }
        throw ErrorAt(start, "literal not terminated");
    }

    private string ParseHeredoc()
    {
        var start = _pos;
        _pos += 2;
        var indented = _pos < _s.Length && _s[_pos] == '-';
        if (indented) _pos++;
        var lineEnd = _s.IndexOf('\n', _pos);
        if (lineEnd < 0) throw ErrorAt(start, "heredoc not terminated");
        var marker = _s[_pos..lineEnd].Trim();
        _pos = lineEnd + 1;
        var lines = new List<string>();
        while (_pos <= _s.Length)
        {
            var next = _s.IndexOf('\n', _pos);
            var line = next < 0 ? _s[_pos..] : _s[_pos..next];
            _pos = next < 0 ? _s.Length : next + 1;
            if (line.Trim() == marker)
                return string.Join("\n", lines) + (lines.Count > 0 ? "\n" : "");
            lines.Add(indented ? line.TrimStart() : line);
            if (next < 0) break;
        }
        throw ErrorAt(start, "heredoc not terminated");
    }

    private void SkipSpace()
    {
        while (_pos < _s.Length)
        {
            var ch = _s[_pos];
            if (char.IsWhiteSpace(ch)) { _pos++; continue; }
            if (ch == '#' || (ch == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '/'))
            {
                while (_pos < _s.Length && _s[_pos] != '\n') _pos++;
                continue;
            }
            if (ch == '/' && _pos + 1 < _s.Length && _s[_pos + 1] == '*')
            {
                var end = _s.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0) throw Error("comment not terminated");
                _pos = end + 2;
                continue;
            }
            return;
        }
    }

    private static bool IsIdentStart(char ch) => char.IsLetter(ch) || ch == '_';

    private static string Describe(char ch) => ch switch
    {
        '}' => "RBRACE",
        ']' => "RBRACK",
        ',' => "COMMA",
        _ => $"ILLEGAL {ch}",
    };

    private FormatException Error(string message) => ErrorAt(_pos, message);

    private FormatException ErrorAt(int pos, string message)
    {
        var line = 1;
        var col = 1;
        for (var i = 0; i < pos && i < _s.Length; i++)
        {
            if (_s[i] == '\n') { line++; col = 1; }
            else col++;
        }
        return new FormatException($"At {line}:{col}: {message}");
    }
}
