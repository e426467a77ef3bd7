using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Consul.Core.Events;

namespace Consul.Tests.Ui;

/// <summary>
/// The hub over a real WebSocket with SignalR's JSON protocol (records end with 0x1E), as a
/// non-.NET dashboard would use it: handshake, StreamInvocation of "Stream", StreamItem messages.
/// </summary>
public sealed class EventsHubWireTests
{
    internal const char RecordSeparator = '\u001e';

    [Fact(Timeout = 60_000)]
    public async Task Stream_over_websocket_delivers_replay_then_live_events_as_json()
    {
        await using var host = await UiTestHost.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var socket = new ClientWebSocket();
        var wsUri = new Uri(host.BaseAddress, "ui/hub/events");
        await socket.ConnectAsync(new UriBuilder(wsUri) { Scheme = "ws" }.Uri, cts.Token);

        await Send(socket, "{\"protocol\":\"json\",\"version\":1}", cts.Token);
        var reader = new RecordReader(socket);
        Assert.Equal("{}", await reader.NextAsync(cts.Token)); // handshake accepted

        await Send(socket, "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Stream\",\"arguments\":[2]}", cts.Token);
        var replayed = new[] { await NextItem(reader, cts.Token), await NextItem(reader, cts.Token) };
        host.Fixture.Events.Publish(new MemberFailed("node3", "127.0.0.4"));
        var live = await NextItem(reader, cts.Token);

        Assert.All(replayed, e => Assert.Equal("kv-put", e.GetProperty("Type").GetString()));
        Assert.Equal("top", replayed[1].GetProperty("Key").GetString());
        Assert.Equal("member-failed", live.GetProperty("Type").GetString());
        Assert.Equal("node3", live.GetProperty("Member").GetString());
        Assert.Equal("member node3 failed", live.GetProperty("Description").GetString());
        Assert.Equal(replayed[1].GetProperty("Sequence").GetInt64() + 1, live.GetProperty("Sequence").GetInt64());

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
    }

    internal static async Task<JsonElement> NextItem(RecordReader reader, CancellationToken ct)
    {
        while (true)
        {
            using var doc = JsonDocument.Parse(await reader.NextAsync(ct));
            var type = doc.RootElement.GetProperty("type").GetInt32();
            if (type == 6) continue; // ping
            Assert.Equal(2, type); // StreamItem
            Assert.Equal("1", doc.RootElement.GetProperty("invocationId").GetString());
            return doc.RootElement.GetProperty("item").Clone();
        }
    }

    internal static Task Send(ClientWebSocket socket, string json, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, ct);

    /// <summary>Splits the socket's text into SignalR records.</summary>
    internal sealed class RecordReader(ClientWebSocket socket)
    {
        private readonly StringBuilder _buffer = new();
        private readonly byte[] _chunk = new byte[16384];
        private readonly char[] _chars = new char[16384];
        private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // a character may span two frames

        public async Task<string> NextAsync(CancellationToken ct)
        {
            while (true)
            {
                var text = _buffer.ToString();
                var at = text.IndexOf(RecordSeparator);
                if (at >= 0)
                {
                    _buffer.Remove(0, at + 1);
                    return text[..at];
                }
                var result = await socket.ReceiveAsync(_chunk, ct);
                if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("hub closed the socket");
                var n = _utf8.GetChars(_chunk, 0, result.Count, _chars, 0);
                _buffer.Append(_chars, 0, n);
            }
        }
    }
}
