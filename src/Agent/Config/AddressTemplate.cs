using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Consul.Agent.Config;

/// <summary>
/// A small subset of go-sockaddr templates, which Consul accepts in address settings:
/// plain text passes through; {{ GetInterfaceIP "eth0" }}, {{ GetInterfaceIPs "eth0" }},
/// {{ GetPrivateIP }}, {{ GetPrivateIPs }}, {{ GetPublicIP }} and {{ GetPublicIPs }} expand
/// from the host's interface addresses. Results are space-separated address lists.
/// </summary>
internal static partial class AddressTemplate
{
    [GeneratedRegex(@"\{\{-?\s*(.*?)\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex("^(\\w+)((?:\\s+\"[^\"]*\")*)$")]
    private static partial Regex Call();

    [GeneratedRegex("\"([^\"]*)\"")]
    private static partial Regex Argument();

    /// <summary>Expands <paramref name="text"/>; throws <see cref="FormatException"/> with the template error.</summary>
    public static string Expand(string text, Func<IReadOnlyList<InterfaceAddress>> addresses)
    {
        if (!text.Contains("{{", StringComparison.Ordinal)) return text;
        var output = new StringBuilder();
        var last = 0;
        foreach (Match m in Action().Matches(text))
        {
            output.Append(text, last, m.Index - last);
            output.Append(Evaluate(m.Groups[1].Value.Trim(), addresses));
            last = m.Index + m.Length;
        }
        output.Append(text, last, text.Length - last);
        var result = output.ToString();
        if (result.Contains("{{", StringComparison.Ordinal) || result.Contains("}}", StringComparison.Ordinal))
            throw new FormatException("template: sockaddr.Parse:1: unclosed action");
        return result;
    }

    private static string Evaluate(string action, Func<IReadOnlyList<InterfaceAddress>> addresses)
    {
        var call = Call().Match(action);
        if (!call.Success)
            throw new FormatException($"template: sockaddr.Parse:1: unsupported template action \"{action}\"");
        var function = call.Groups[1].Value;
        var args = Argument().Matches(call.Groups[2].Value).Select(a => a.Groups[1].Value).ToList();
        var all = addresses();
        switch (function)
        {
            case "GetInterfaceIP":
                RequireArgs(function, args, 1);
                var v4 = OnInterface(all, args[0]).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
                return v4?.ToString() ?? throw new FormatException(
                    $"template: sockaddr.Parse:1:3: executing \"sockaddr.Parse\" at <GetInterfaceIP \"{args[0]}\">: error calling GetInterfaceIP: No IP addresses found on interface {args[0]}");
            case "GetInterfaceIPs":
                RequireArgs(function, args, 1);
                return string.Join(" ", OnInterface(all, args[0]).Select(a => a.ToString()));
            case "GetPrivateIP":
                RequireArgs(function, args, 0);
                return all.Select(a => a.Address).FirstOrDefault(HostNetwork.IsPrivateV4)?.ToString() ?? "";
            case "GetPrivateIPs":
                RequireArgs(function, args, 0);
                return string.Join(" ", all.Select(a => a.Address).Where(HostNetwork.IsPrivateV4));
            case "GetPublicIP":
                RequireArgs(function, args, 0);
                return all.Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && HostNetwork.IsPublic(a))?.ToString() ?? "";
            case "GetPublicIPs":
                RequireArgs(function, args, 0);
                return string.Join(" ", all.Select(a => a.Address).Where(HostNetwork.IsPublic));
            default:
                throw new FormatException($"template: sockaddr.Parse:1: function \"{function}\" not supported");
        }
    }

    private static IEnumerable<IPAddress> OnInterface(IReadOnlyList<InterfaceAddress> all, string name) =>
        all.Where(a => a.Interface == name).Select(a => a.Address);

    private static void RequireArgs(string function, List<string> args, int count)
    {
        if (args.Count != count)
            throw new FormatException($"template: sockaddr.Parse:1: wrong number of args for {function}: want {count} got {args.Count}");
    }
}
