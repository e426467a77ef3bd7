namespace Consul.Core.Acl;

// A small syntax tree shared by the HCL and JSON readers of ACL rules, shaped as
// HCL v1 decodes blocks: `key "a" { ... }` becomes key = { "a" = { ... } }.

internal abstract record HclValue(int Line, int Column);

internal sealed record HclString(string Value, int Line, int Column) : HclValue(Line, Column);

/// <summary>A number or boolean, kept as its source text; rules never need their value.</summary>
internal sealed record HclScalar(string Text, int Line, int Column) : HclValue(Line, Column);

internal sealed record HclList(List<HclValue> Items, int Line, int Column) : HclValue(Line, Column);

internal sealed record HclObject(List<HclEntry> Entries, int Line, int Column) : HclValue(Line, Column);

internal sealed record HclEntry(string Key, HclValue Value, int Line, int Column);

/// <summary>Syntax or type error in rules, positioned like HCL's "At line:col:" prefix.</summary>
public sealed class AclRulesSyntaxException(int line, int column, string message)
    : Exception($"At {line}:{column}: {message}")
{
    public int Line { get; } = line;
    public int Column { get; } = column;
}
