using System.Text.Json.Nodes;

namespace Consul.Agent.Cli;

/// <summary>`consul operator raft list-peers` (command/operator/raft/listpeers).</summary>
internal sealed class RaftListPeersCommand : ApiCommand
{
    public RaftListPeersCommand() => AddHttpFlags(serverFlags: true);

    public override string Synopsis => "Display the current Raft peer configuration";

    protected override string HelpText => """

        Usage: consul operator raft list-peers [options]

          Displays the current Raft peer configuration.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            Flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException e)
        {
            ctx.Err($"Failed to parse args: {e.Message}");
            return 1;
        }
        if (CreateClient(ctx, "Error initializing client") is not { } client) return 1;
        JsonArray servers;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Get, "/v1/operator/raft/configuration", ReadQuery());
            servers = JsonNode.Parse(resp.Body)?["Servers"] as JsonArray ?? [];
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error getting peers: Failed to retrieve raft configuration: {e.Message}");
            return 1;
        }

        var peers = servers.Where(s => s is not null).Select(s => new
        {
            Id = s!["ID"]?.GetValue<string>() ?? "",
            Node = s["Node"]?.GetValue<string>() ?? "",
            Address = s["Address"]?.GetValue<string>() ?? "",
            Leader = s["Leader"]?.GetValue<bool>() ?? false,
            Voter = s["Voter"]?.GetValue<bool>() ?? false,
            Protocol = s["ProtocolVersion"]?.GetValue<string>() ?? "",
            LastIndex = s["LastIndex"]?.GetValue<ulong>() ?? 0,
        }).ToList();
        var lastIndexById = new Dictionary<string, ulong>();
        foreach (var p in peers) lastIndexById[p.Id] = p.LastIndex;
        ulong leaderIndex = 0;
        foreach (var p in peers.Where(p => p.Leader)) leaderIndex = lastIndexById[p.Id];

        const char d = TableFormat.Delim;
        var lines = new List<string> { string.Join(d, "Node", "ID", "Address", "State", "Voter", "RaftProtocol", "Commit Index", "Trails Leader By") };
        foreach (var p in peers)
        {
            var serverIndex = lastIndexById[p.Id];
            // Unsigned, as in Consul: a follower ahead of the leader wraps around.
            var trails = unchecked(leaderIndex - serverIndex);
            var trailsText = p.Leader ? "-" : trails == 1 ? "1 commit" : $"{trails} commits";
            lines.Add(string.Join(d, p.Node, p.Id, p.Address, p.Leader ? "leader" : "follower",
                p.Voter ? "true" : "false", p.Protocol == "" ? "<=1" : p.Protocol, serverIndex, trailsText));
        }
        ctx.Out(TableFormat.Columnize(lines));
        return 0;
    }
}

/// <summary>`consul operator raft remove-peer` (command/operator/raft/removepeer).</summary>
internal sealed class RaftRemovePeerCommand : ApiCommand
{
    private string _address = "", _id = "";

    public RaftRemovePeerCommand()
    {
        Flags.String("address", "The address to remove from the Raft configuration.", v => _address = v);
        Flags.String("id", "The ID to remove from the Raft configuration.", v => _id = v);
        AddHttpFlags(serverFlags: true);
    }

    public override string Synopsis => "Remove a Consul server from the Raft configuration";

    protected override string HelpText => """

        Usage: consul operator raft remove-peer [options]

          Remove the Consul server with given -address from the Raft configuration.

          There are rare cases where a peer may be left behind in the Raft quorum even
          though the server is no longer present and known to the cluster. This command
          can be used to remove the failed server so that it is no longer affects the Raft
          quorum. If the server still shows in the output of the "consul members" command,
          it is preferable to clean up by simply running "consul force-leave" instead of
          this command.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            Flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException e)
        {
            ctx.Err($"Failed to parse args: {e.Message}");
            return 1;
        }
        if (CreateClient(ctx, "Error initializing client") is not { } client) return 1;
        if (_address.Length == 0 && _id.Length == 0)
        {
            ctx.Err("Error removing peer: an address or id is required for the peer to remove");
            return 1;
        }
        if (_address.Length > 0 && _id.Length > 0)
        {
            ctx.Err("Error removing peer: cannot give both an address and id");
            return 1;
        }
        try
        {
            var q = _address.Length > 0 ? new KeyValuePair<string, string>("address", _address) : new("id", _id);
            await client.RequireOkAsync(HttpMethod.Delete, "/v1/operator/raft/peer", [q]);
        }
        catch (CliApiException e)
        {
            ctx.Err($"Error removing peer: {e.Message}");
            return 1;
        }
        ctx.Out(_address.Length > 0
            ? $"Removed peer with address {GoFlagSet.GoQuote(_address)}"
            : $"Removed peer with id {GoFlagSet.GoQuote(_id)}");
        return 0;
    }
}

/// <summary>`consul operator raft transfer-leader` (command/operator/raft/transferleader).</summary>
internal sealed class RaftTransferLeaderCommand : ApiCommand
{
    private string _id = "";

    public RaftTransferLeaderCommand()
    {
        Flags.String("id", "The ID of the node to transfer leadership to.", v => _id = v);
        AddHttpFlags(serverFlags: true);
    }

    public override string Synopsis => "Transfer raft leadership to another node";

    protected override string HelpText => """

        Usage: consul operator raft transfer-leader [options]

          Transfer raft leadership to another node.

        """;

    public override async Task<int> RunAsync(IReadOnlyList<string> args, CliContext ctx)
    {
        try
        {
            Flags.Parse(args, ctx.Stderr);
        }
        catch (GoFlagParseException e)
        {
            ctx.Err($"Failed to parse args: {e.Message}");
            return 1;
        }
        if (CreateClient(ctx, "Error initializing client") is not { } client) return 1;
        // The api client sends ?id only when one is given, next to the read options (-stale).
        var query = ReadQuery();
        if (_id.Length > 0) query.Add(new("id", _id));
        bool success;
        try
        {
            var resp = await client.RequireOkAsync(HttpMethod.Post, "/v1/operator/raft/transfer-leader", query);
            success = JsonNode.Parse(resp.Body)?["Success"]?.GetValue<bool>() ?? false;
        }
        catch (CliApiException e)
        {
            // Consul's wording: no separator between its own prefix and the API error.
            ctx.Err($"Error transfering leadership: Failed to transfer leadership {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            ctx.Err($"Error transfering leadership: Failed to transfer leadership {e.Message}");
            return 1;
        }
        if (!success)
        {
            ctx.Err("Error transfering leadership: Failed to transfer leadership");
            return 1;
        }
        ctx.Out("Success");
        return 0;
    }
}
