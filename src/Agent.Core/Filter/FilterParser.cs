using System.Text;

namespace Consul.Core.Filter;

/// <summary>
/// Parses Consul's filter expressions:
/// <c>Selector == "v"</c>, <c>!=</c>, <c>is empty</c>, <c>is not empty</c>, <c>"v" in Selector</c>,
/// <c>"v" not in Selector</c>, <c>Selector contains "v"</c>, <c>not contains</c>, <c>matches</c>,
/// <c>not matches</c>, combined with <c>and</c>, <c>or</c>, <c>not</c> and parentheses.
/// Selectors are dotted JSON field names; map keys may be written <c>Meta.key</c> or
/// <c>Meta["key"]</c>. Values are "double-quoted", `backquoted` or bare words/numbers.
/// </summary>
public static class FilterParser
{
    public static FilterNode Parse(string text)
    {
        var tokens = Tokenize(text);
        var p = new Cursor(tokens);
        var node = ParseOr(p);
        if (!p.AtEnd) throw new FilterException($"1:{p.Peek.Position + 1}: unexpected \"{p.Peek.Text}\"");
        return node;
    }

    private static FilterNode ParseOr(Cursor p)
    {
        var left = ParseAnd(p);
        while (p.TakeWord("or")) left = new OrNode(left, ParseAnd(p));
        return left;
    }

    private static FilterNode ParseAnd(Cursor p)
    {
        var left = ParseUnary(p);
        while (p.TakeWord("and")) left = new AndNode(left, ParseUnary(p));
        return left;
    }

    private static FilterNode ParseUnary(Cursor p)
    {
        if (p.TakeWord("not")) return new NotNode(ParseUnary(p));
        if (p.Take("("))
        {
            var inner = ParseOr(p);
            if (!p.Take(")")) throw p.Error("expected \")\"");
            return inner;
        }
        return ParseMatch(p);
    }

    private static FilterNode ParseMatch(Cursor p)
    {
        if (p.AtEnd) throw p.Error("expected a match expression");
        // Value-first forms: "v" in Selector / "v" not in Selector.
        if (p.Peek.Kind == TokenKind.Quoted || IsValueIn(p))
        {
            var value = p.Next().Text;
            var negate = p.TakeWord("not");
            if (!p.TakeWord("in")) throw p.Error("expected \"in\" or \"not in\" after a value");
            return new MatchNode(ParseSelector(p), negate ? MatchOp.NotIn : MatchOp.In, value);
        }
        var selector = ParseSelector(p);
        if (p.Take("==")) return new MatchNode(selector, MatchOp.Equal, ParseValue(p));
        if (p.Take("!=")) return new MatchNode(selector, MatchOp.NotEqual, ParseValue(p));
        if (p.TakeWord("is"))
        {
            var negate = p.TakeWord("not");
            if (!p.TakeWord("empty")) throw p.Error("expected \"empty\"");
            return new MatchNode(selector, negate ? MatchOp.IsNotEmpty : MatchOp.IsEmpty, null);
        }
        if (p.TakeWord("contains")) return new MatchNode(selector, MatchOp.Contains, ParseValue(p));
        if (p.TakeWord("matches")) return new MatchNode(selector, MatchOp.Matches, ParseValue(p));
        if (p.TakeWord("not"))
        {
            if (p.TakeWord("contains")) return new MatchNode(selector, MatchOp.NotContains, ParseValue(p));
            if (p.TakeWord("matches")) return new MatchNode(selector, MatchOp.NotMatches, ParseValue(p));
            throw p.Error("expected \"contains\" or \"matches\" after \"not\"");
        }
        throw p.Error("expected a match operator (==, !=, is empty, is not empty, contains, matches, in)");
    }

    // A bare word followed by "in" / "not in" is a value, not a selector.
    private static bool IsValueIn(Cursor p) =>
        p.Peek.Kind == TokenKind.Word &&
        (p.PeekAt(1) is { Kind: TokenKind.Word, Text: "in" } ||
         (p.PeekAt(1) is { Kind: TokenKind.Word, Text: "not" } && p.PeekAt(2) is { Kind: TokenKind.Word, Text: "in" }));

    private static IReadOnlyList<string> ParseSelector(Cursor p)
    {
        if (p.AtEnd || p.Peek.Kind != TokenKind.Word) throw p.Error("expected a selector");
        var parts = new List<string>();
        foreach (var part in p.Next().Text.Split('.'))
        {
            if (part.Length == 0) throw p.Error("empty selector part");
            parts.Add(part);
        }
        // Map index form: Meta["key"].
        while (p.Take("["))
        {
            if (p.AtEnd || p.Peek.Kind != TokenKind.Quoted) throw p.Error("expected a quoted key inside [ ]");
            parts.Add(p.Next().Text);
            if (!p.Take("]")) throw p.Error("expected \"]\"");
            if (!p.AtEnd && p.Peek.Kind == TokenKind.Word && p.Peek.Text.StartsWith('.'))
                parts.AddRange(p.Next().Text[1..].Split('.'));
        }
        return parts;
    }

    private static string ParseValue(Cursor p)
    {
        if (p.AtEnd || p.Peek.Kind is not (TokenKind.Quoted or TokenKind.Word)) throw p.Error("expected a value");
        return p.Next().Text;
    }

    private enum TokenKind { Word, Quoted, Symbol }

    private sealed record Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (c is '(' or ')' or '[' or ']') { tokens.Add(new(TokenKind.Symbol, c.ToString(), start)); i++; continue; }
            if ((c is '=' or '!') && i + 1 < s.Length && s[i + 1] == '=')
            {
                tokens.Add(new(TokenKind.Symbol, s.Substring(i, 2), start));
                i += 2;
                continue;
            }
            if (c is '"' or '`')
            {
                var sb = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != c)
                {
                    if (c == '"' && s[i] == '\\' && i + 1 < s.Length) { i++; sb.Append(s[i] switch { 'n' => '\n', 't' => '\t', var x => x }); i++; continue; }
                    sb.Append(s[i++]);
                }
                if (i >= s.Length) throw new FilterException($"1:{start + 1}: unterminated string");
                i++;
                tokens.Add(new(TokenKind.Quoted, sb.ToString(), start));
                continue;
            }
            while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] is not ('(' or ')' or '[' or ']' or '"' or '`') &&
                   !(s[i] is '=' or '!' && i + 1 < s.Length && s[i + 1] == '='))
                i++;
            if (i == start) throw new FilterException($"1:{start + 1}: unexpected character \"{c}\"");
            tokens.Add(new(TokenKind.Word, s[start..i], start));
        }
        return tokens;
    }

    private sealed class Cursor(List<Token> tokens)
    {
        private int _at;
        public bool AtEnd => _at >= tokens.Count;
        public Token Peek => tokens[_at];
        public Token? PeekAt(int offset) => _at + offset < tokens.Count ? tokens[_at + offset] : null;
        public Token Next() => tokens[_at++];
        public bool Take(string symbol)
        {
            if (AtEnd || tokens[_at].Kind != TokenKind.Symbol || tokens[_at].Text != symbol) return false;
            _at++;
            return true;
        }
        public bool TakeWord(string word)
        {
            if (AtEnd || tokens[_at].Kind != TokenKind.Word || tokens[_at].Text != word) return false;
            _at++;
            return true;
        }
        public FilterException Error(string what) =>
            new($"1:{(AtEnd ? (tokens.Count == 0 ? 1 : tokens[^1].Position + tokens[^1].Text.Length + 1) : Peek.Position + 1)}: {what}");
    }
}
