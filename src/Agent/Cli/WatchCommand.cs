using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consul.Core.Watches;

namespace Consul.Agent.Cli;

/// <summary>
/// `consul watch`: runs a watch plan (Consul.Core.Watches) against the agent. With a
/// handler, each change runs it with the JSON on stdin and CONSUL_INDEX set; without one,
/// the first result is printed (indented as Go's MarshalIndent) and the watch ends.
/// </summary>
internal sealed class WatchCommand : ApiCommand
{
    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        IndentSize = 4,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private string _type = "", _key = "", _prefix = "", _service = "", _passingOnly = "", _state = "", _name = "";
    private readonly List<string> _tags = [];
    private bool _shell = true;

    public WatchCommand()
    {
        Flags.String("type", "Specifies the watch type. One of key, keyprefix, services, nodes, " +
                             "service, checks, or event.", v => _type = v);
        Flags.String("key", "Specifies the key to watch. Only for 'key' type.", v => _key = v);
        Flags.String("prefix", "Specifies the key prefix to watch. Only for 'keyprefix' type.", v => _prefix = v);
        Flags.String("service", "Specifies the service to watch. Required for 'service' type, " +
                                "optional for 'checks' type.", v => _service = v);
        Flags.Value("tag", "Specifies the service tag(s) to filter on. Optional for 'service' type. " +
                           "May be specified multiple times.", v => { _tags.Add(v); return null; });
        Flags.String("passingonly", "Specifies if only hosts passing all checks are displayed. " +
                                    "Optional for 'service' type, must be one of `[true|false]`. Defaults false.", v => _passingOnly = v);
        Flags.Add(new GoFlag
        {
            Name = "shell", Kind = GoFlagKind.Bool, DefValue = "true",
            Usage = "Use a shell to run the command (can set a custom shell via the SHELL " +
                    "environment variable).",
            Set = v =>
            {
                if (!GoFlagSet.TryParseGoBool(v, out var b)) return "parse error";
                _shell = b;
                return null;
            },
        });
        Flags.String("state", "Specifies the states to watch. Optional for 'checks' type.", v => _state = v);
        Flags.String("name", "Specifies an event name to watch. Only for 'event' type.", v => _name = v);
        AddHttpFlags(serverFlags: true);
    }

    public override string Synopsis => "Watch for changes in Consul";

    protected override string HelpText => """

        Usage: consul watch [options] [child...]

          Watches for changes in a given data view from Consul. If a child process
          is specified, it will be invoked with the latest results on changes. Otherwise,
          the latest values are dumped to stdout and the watch terminates.

          Providing the watch type is required, and other parameters may be required
          or supported depending on the watch type.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } handlerArgs) return 1;
        if (_type.Length == 0)
        {
            ctx.Err("Watch type must be specified");
            ctx.Err("");
            ctx.Err(Help);
            return 1;
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = _type };
        if (!string.IsNullOrEmpty(Http.Datacenter)) parameters["datacenter"] = Http.Datacenter;
        if (!string.IsNullOrEmpty(Http.Token)) parameters["token"] = Http.Token;
        if (_key.Length > 0) parameters["key"] = _key;
        if (_prefix.Length > 0) parameters["prefix"] = _prefix;
        if (_service.Length > 0) parameters["service"] = _service;
        if (_tags.Count > 0) parameters["tag"] = _tags.ToList();
        if (Http.Stale) parameters["stale"] = true;
        if (_state.Length > 0) parameters["state"] = _state;
        if (_name.Length > 0) parameters["name"] = _name;
        if (_passingOnly.Length > 0)
        {
            if (!GoFlagSet.TryParseGoBool(_passingOnly, out var passing))
            {
                ctx.Err($"Failed to parse passingonly flag: strconv.ParseBool: parsing {GoFlagSet.GoQuote(_passingOnly)}: invalid syntax");
                return 1;
            }
            parameters["passingonly"] = passing;
        }

        WatchPlan plan;
        try
        {
            plan = WatchPlan.Parse(parameters);
        }
        catch (WatchParseException e)
        {
            ctx.Err(e.Message);
            return 1;
        }

        if (CreateClient(ctx) is not { } client) return 1;
        try
        {
            await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/self");
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying Consul agent: {e.Message}");
            return 1;
        }

        var runner = new WatchRunner(plan, WatchApiFetch.For(client), TimeProvider.System);
        var errExit = 0;
        if (handlerArgs.Count == 0)
        {
            runner.Handler = (_, result, _) =>
            {
                ctx.Out(ToJson(result, Pretty));
                runner.Stop();
                return Task.CompletedTask;
            };
        }
        else
        {
            runner.Handler = async (index, result, _) =>
            {
                if (!await RunHandlerAsync(handlerArgs, index, result, ctx))
                {
                    runner.Stop();
                    errExit = 1;
                }
            };
        }
        runner.OnError = (e, retry) =>
            ctx.Err($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} [ERROR] watch: Watch errored: type={plan.Type} error=\"{e.Message}\" retry={Core.Util.GoDuration.Format(retry)}");

        // Consul exits 0 on SIGINT/SIGTERM; the runner returns normally when cancelled.
        using var shutdown = CancellationTokenSource.CreateLinkedTokenSource(ctx.Cancellation);
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            try { shutdown.Cancel(); } catch (ObjectDisposedException) { }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        await runner.RunAsync(shutdown.Token);
        return shutdown.IsCancellationRequested ? 0 : errExit;
    }

    private static string ToJson(JsonNode? node, JsonSerializerOptions options) =>
        node is null ? "null" : node.ToJsonString(options);

    /// <summary>Runs the handler with the result on stdin (json.Encoder: compact plus newline).</summary>
    private async Task<bool> RunHandlerAsync(IReadOnlyList<string> args, ulong index, JsonNode? result, CliContext ctx)
    {
        var psi = LockShell.StartInfo(args, _shell, ctx.Env);
        psi.Environment["CONSUL_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        psi.RedirectStandardInput = true;
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            ctx.Err($"Error starting handler: {LockShell.StartError(psi)}");
            return false;
        }
        using (process)
        {
            try
            {
                var input = Encoding.UTF8.GetBytes(ToJson(result, Compact) + "\n");
                await process.StandardInput.BaseStream.WriteAsync(input);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // A handler that does not read its stdin is fine.
            }
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                ctx.Err($"Error executing handler: {LockShell.ExitText(process.ExitCode)}");
                return false;
            }
        }
        return true;
    }
}
