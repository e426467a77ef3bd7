using System.Globalization;
using System.Text;

namespace Consul.Core.Acl;

/// <summary>
/// Reads the HCL subset that ACL rules use: attributes (`operator = "read"`),
/// labelled blocks (`key_prefix "app/" { policy = "write" }`), nested objects,
/// lists, strings, numbers, booleans and #, // and /* */ comments.
/// </summary>
internal sealed class HclRulesReader
{
    private readonly string _src;
    private int _pos;
    private int _line = 1;
    private int _col = 1;

    private HclRulesReader(string src) => _src = src;

    public static HclObject Read(string src)
    {
        var reader = new HclRulesReader(src);
        var body = reader.ReadBody(closing: null);
        return body;
    }

    private HclObject ReadBody(char? closing)
    {
        int line = _line, col = _col;
        var entries = new List<HclEntry>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd)
            {
                if (closing is not null) throw Error("object expected closing RBRACE got: EOF");
                return new HclObject(entries, line, col);
            }
            char c = Peek;
            if (closing is not null && c == closing) { Advance(); return new HclObject(entries, line, col); }
            if (c == ',') { Advance(); continue; }
            entries.Add(ReadItem());
        }
    }

    private HclEntry ReadItem()
    {
        int line = _line, col = _col;
        string key = ReadKey();
        var labels = new List<(string Label, int Line, int Col)>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd) throw Error($"key '{key}' expected start of object ('{{') or assignment ('=')");
            char c = Peek;
            if (c == '=')
            {
                if (labels.Count > 0) throw Error($"nested object expected: LBRACE got: ASSIGN");
                Advance();
                var value = ReadValue();
                return new HclEntry(key, value, line, col);
            }
            if (c == '{')
            {
                int bl = _line, bc = _col;
                Advance();
                HclValue body = ReadBody('}');
                // Wrap innermost-first so `key "a" {}` reads as key = { "a" = {} }.
                for (int i = labels.Count - 1; i >= 0; i--)
                    body = new HclObject([new HclEntry(labels[i].Label, body, labels[i].Line, labels[i].Col)], bl, bc);
                return new HclEntry(key, body, line, col);
            }
            if (c == '"' || IsIdentStart(c))
            {
                int ll = _line, lc = _col;
                labels.Add((ReadKey(), ll, lc));
                continue;
            }
            throw Error($"key '{key}' expected start of object ('{{') or assignment ('=')");
        }
    }

    private string ReadKey()
    {
        SkipTrivia();
        if (AtEnd) throw Error("expected key, got EOF");
        char c = Peek;
        if (c == '"') return ReadString();
        if (IsIdentStart(c)) return ReadIdent();
        throw Error($"illegal char '{c}'");
    }

    private HclValue ReadValue()
    {
        SkipTrivia();
        if (AtEnd) throw Error("expected value, got EOF");
        int line = _line, col = _col;
        char c = Peek;
        switch (c)
        {
            case '"':
                return new HclString(ReadString(), line, col);
            case '{':
                Advance();
                return ReadBody('}');
            case '[':
                Advance();
                return ReadList(line, col);
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            int start = _pos;
            Advance();
            while (!AtEnd && (char.IsAsciiDigit(Peek) || Peek is '.' or 'e' or 'E' or '+' or '-' or 'x' or 'X' || char.IsAsciiHexDigit(Peek))) Advance();
            return new HclScalar(_src[start.._pos], line, col);
        }
        if (IsIdentStart(c))
        {
            string word = ReadIdent();
            if (word is "true" or "false") return new HclScalar(word, line, col);
            throw new AclRulesSyntaxException(line, col, $"Unknown token: {line}:{col} IDENT {word}");
        }
        throw Error($"illegal char '{c}'");
    }

    private HclList ReadList(int line, int col)
    {
        var items = new List<HclValue>();
        while (true)
        {
            SkipTrivia();
            if (AtEnd) throw Error("list expected closing RBRACK got: EOF");
            if (Peek == ']') { Advance(); return new HclList(items, line, col); }
            if (Peek == ',') { Advance(); continue; }
            items.Add(ReadValue());
        }
    }

    private string ReadString()
    {
        int line = _line, col = _col;
        Advance(); // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek == '\n') throw new AclRulesSyntaxException(line, col, "literal not terminated");
            char c = Peek;
            Advance();
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (AtEnd) throw new AclRulesSyntaxException(line, col, "literal not terminated");
            char e = Peek;
            Advance();
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case 'u':
                    if (_pos + 4 > _src.Length ||
                        !int.TryParse(_src.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                        throw Error("illegal char escape");
                    sb.Append((char)code);
                    for (int i = 0; i < 4; i++) Advance();
                    break;
                default:
                    throw Error("illegal char escape");
            }
        }
    }

    private string ReadIdent()
    {
        int start = _pos;
        while (!AtEnd && IsIdentPart(Peek)) Advance();
        return _src[start.._pos];
    }

    private void SkipTrivia()
    {
        while (!AtEnd)
        {
            char c = Peek;
            if (char.IsWhiteSpace(c)) { Advance(); continue; }
            if (c == '#' || (c == '/' && PeekAt(1) == '/'))
            {
                while (!AtEnd && Peek != '\n') Advance();
                continue;
            }
            if (c == '/' && PeekAt(1) == '*')
            {
                int line = _line, col = _col;
                Advance(); Advance();
                while (true)
                {
                    if (AtEnd) throw new AclRulesSyntaxException(line, col, "comment not terminated");
                    if (Peek == '*' && PeekAt(1) == '/') break;
                    Advance();
                }
                Advance(); Advance();
                continue;
            }
            return;
        }
    }

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';
    private static bool IsIdentPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    private bool AtEnd => _pos >= _src.Length;
    private char Peek => _src[_pos];
    private char PeekAt(int offset) => _pos + offset < _src.Length ? _src[_pos + offset] : '\0';

    private void Advance()
    {
        if (_src[_pos] == '\n') { _line++; _col = 1; } else { _col++; }
        _pos++;
    }

    private AclRulesSyntaxException Error(string message) => new(_line, _col, message);
}
