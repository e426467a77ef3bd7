using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Consul.Agent.Cli;

/// <summary>`consul event`: fires a user event with optional filters and payload (command/event).</summary>
internal sealed class EventCommand : ApiCommand
{
    private string _name = "", _node = "", _service = "", _tag = "";

    public EventCommand()
    {
        Flags.String("name", "Name of the event.", v => _name = v);
        Flags.String("node", "Regular expression to filter on node names.", v => _node = v);
        Flags.String("service", "Regular expression to filter on service instances.", v => _service = v);
        Flags.String("tag", "Regular expression to filter on service tags. Must be used with -service.", v => _tag = v);
        AddHttpFlags(serverFlags: false);
    }

    public override string Synopsis => "Fire a new event";

    protected override string HelpText => """

        Usage: consul event [options] [payload]

          Dispatches a custom user event across a datacenter. An event must provide
          a name, but a payload is optional. Events support filtering using
          regular expressions on node name, service, and tag definitions.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        if (ParseFlags(args, ctx) is not { } rest) return 1;
        if (_name.Length == 0)
        {
            ctx.Err("Event name must be specified");
            ctx.Err("");
            ctx.Err(Help);
            return 1;
        }
        foreach (var (what, pattern) in new[] { ("node", _node), ("service", _service), ("tag", _tag) })
        {
            if (pattern.Length == 0) continue;
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException e)
            {
                ctx.Err($"Failed to compile {what} filter regexp: error parsing regexp: {e.Message}");
                return 1;
            }
        }
        if (_tag.Length > 0 && _service.Length == 0)
        {
            ctx.Err("Cannot provide tag filter without service filter.");
            return 1;
        }
        byte[]? payload = null;
        switch (rest.Count)
        {
            case 0: break;
            case 1: payload = Encoding.UTF8.GetBytes(rest[0]); break;
            default:
                ctx.Err("Too many command line arguments.");
                ctx.Err("");
                ctx.Err(Help);
                return 1;
        }
        if (CreateClient(ctx) is not { } client) return 1;
        try
        {
            // Consul checks the agent answers before firing (Agent().NodeName()).
            await client.RequireOkAsync(HttpMethod.Get, "/v1/agent/self");
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error querying Consul agent: {e.Message}");
            return 1;
        }

        var q = new List<KeyValuePair<string, string>>();
        if (_node.Length > 0) q.Add(new("node", _node));
        if (_service.Length > 0) q.Add(new("service", _service));
        if (_tag.Length > 0) q.Add(new("tag", _tag));
        string id;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Put, "/v1/event/fire/" + _name, q, payload ?? [], "application/octet-stream");
            id = JsonNode.Parse(resp.Body)?["ID"]?.GetValue<string>() ?? "";
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error firing event: {e.Message}");
            return 1;
        }
        ctx.Out($"Event ID: {id}");
        return 0;
    }
}
