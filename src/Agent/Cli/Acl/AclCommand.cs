using System.Text;

namespace Consul.Agent.Cli.Acl;

/// <summary>
/// Base of the `consul acl ...` commands. Consul renders a command's help before it registers
/// its deprecated flags (-id, -merge-*), so those parse but stay out of the help: subclasses
/// call <see cref="SealHelp"/> after their documented flags and add deprecated ones after it.
/// </summary>
internal abstract class AclCommand : ApiCommand
{
    private string? _help;

    protected string FormatText { get; private set; } = "pretty";

    public override string Help => _help ?? base.Help;

    protected void SealHelp() => _help = ConsulUsage.Format(HelpText, Flags);

    protected void AddFormatFlag() =>
        Flags.String("format", AclOutputFormats.Usage, v => FormatText = v, defValue: "pretty");

    /// <summary>flags.AppendSliceValue: each use appends one value.</summary>
    protected void AddSliceFlag(string name, string usage, List<string> target) =>
        Flags.Value(name, usage, v => { target.Add(v); return null; });

    /// <summary>BasicUi.Warn writes to stderr.</summary>
    protected static void Warn(CliContext ctx, string message) => ctx.Err(message);

    /// <summary>NewFormatter's check; prints "Unknown format: X" when the value is not pretty or json.</summary>
    protected bool TryFormat(CliContext ctx, out AclOutputFormat format)
    {
        if (AclOutputFormats.TryParse(FormatText, out format, out var error)) return true;
        ctx.Err(error);
        return false;
    }

    /// <summary>`if out != "" { c.UI.Info(out) }`.</summary>
    protected static void Print(CliContext ctx, string output)
    {
        if (output.Length > 0) ctx.Out(output);
    }
}

/// <summary>command/helpers LoadDataSource / LoadDataSourceNoRaw: a value, @file, or - for stdin.</summary>
internal static class AclDataSource
{
    public static async Task<string> LoadAsync(string data, CliContext ctx)
    {
        if (data.Length == 0) return "";
        return data[0] switch
        {
            '@' => await ReadFileAsync(data[1..], ctx),
            '-' when data.Length == 1 => await ctx.Stdin.ReadToEndAsync(ctx.Cancellation),
            _ => data,
        };
    }

    /// <summary>Only a file path or "-": used where a raw value would end up in shell history (tokens).</summary>
    public static async Task<string> LoadNoRawAsync(string data, CliContext ctx)
    {
        if (data.Length == 0) throw new CliUsageException("Failed to load data: must specify a file path or '-' for stdin");
        return data == "-" ? await ctx.Stdin.ReadToEndAsync(ctx.Cancellation) : await ReadFileAsync(data, ctx);
    }

    private static async Task<string> ReadFileAsync(string path, CliContext ctx)
    {
        try
        {
            return Encoding.UTF8.GetString(await File.ReadAllBytesAsync(path, ctx.Cancellation));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Failed to read file: {GoErrors.OpenError(path, e)}");
        }
    }
}
