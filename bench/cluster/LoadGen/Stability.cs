using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Consul.Bench.Cluster;

/// <summary>
/// Issue #3's "no spurious elections over 10 minutes of idle or steady load": polls every
/// server's Raft term and reported leader once a second through an idle phase and then a phase
/// of closed-loop writes to the leader, and reports every change. A term that moves means an
/// election was held (pre-votes do not move it); a leader that changes means one was lost.
/// </summary>
public sealed class Stability(HttpClient http, IReadOnlyList<string> nodes)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromSeconds(1);
    private static readonly ConsulKv Kv = new();

    private sealed record View(long Term, int Leader);

    private readonly List<string> _changes = [];
    private View?[] _last = [];
    private long _polls, _unanswered;

    public async Task<string> RunAsync(TimeSpan idle, TimeSpan load, int clients)
    {
        _last = await PollAllAsync();
        var start = _last.ToArray();
        var sb = new StringBuilder();
        sb.Append("| phase | seconds | writes | write errors | polls | unanswered polls | term changes | leader changes |\n");
        sb.Append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Row(sb, "idle", idle, 0, 0, await WatchAsync(idle));

        using var stop = new CancellationTokenSource();
        long writes = 0, errors = 0;
        var value = new byte[128];
        var leader = _last.FirstOrDefault(v => v is { Leader: >= 0 })?.Leader ?? 0;
        var writers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (long seq = 0; !stop.IsCancellationRequested; seq++)
            {
                bool ok;
                try { ok = await Kv.PutAsync(http, nodes[leader], $"stability/c{c}/k{seq % 16}", value, stop.Token); }
                catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
                catch (Exception) { ok = false; }
                Interlocked.Increment(ref ok ? ref writes : ref errors);
            }
        })).ToArray();
        var watched = await WatchAsync(load);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Row(sb, $"steady load ({clients} writers)", load, writes, errors, watched);

        sb.Append('\n').Append("Terms at start / end: ")
            .Append(string.Join(", ", nodes.Select((n, i) => $"{new Uri(n).Host} {start[i]?.Term.ToString(CultureInfo.InvariantCulture) ?? "?"} / {_last[i]?.Term.ToString(CultureInfo.InvariantCulture) ?? "?"}")))
            .Append('\n');
        if (_changes.Count > 0) sb.Append('\n').AppendJoin('\n', _changes).Append('\n');
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string phase, TimeSpan length, long writes, long errors, (long Polls, long Unanswered, int Terms, int Leaders) w) =>
        sb.Append(CultureInfo.InvariantCulture, $"| {phase} | {length.TotalSeconds:F0} | {writes} | {errors} | {w.Polls} | {w.Unanswered} | **{w.Terms}** | **{w.Leaders}** |\n");

    /// <summary>Polls until <paramref name="length"/> has passed; counts what changed since the previous poll.</summary>
    private async Task<(long Polls, long Unanswered, int Terms, int Leaders)> WatchAsync(TimeSpan length)
    {
        var clock = Stopwatch.StartNew();
        long polls = _polls, unanswered = _unanswered;
        int terms = 0, leaders = 0;
        while (clock.Elapsed < length)
        {
            await Task.Delay(PollEvery);
            var now = await PollAllAsync();
            for (var i = 0; i < now.Length; i++)
            {
                if (now[i] is not { } v || _last[i] is not { } was) continue;
                var at = DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                if (v.Term != was.Term)
                {
                    terms++;
                    _changes.Add($"- {at} {new Uri(nodes[i]).Host}: term {was.Term} → {v.Term}");
                }
                if (v.Leader != was.Leader)
                {
                    leaders++;
                    _changes.Add($"- {at} {new Uri(nodes[i]).Host}: leader {Name(was.Leader)} → {Name(v.Leader)}");
                }
            }
            for (var i = 0; i < now.Length; i++) if (now[i] is not null) _last[i] = now[i];
        }
        return (_polls - polls, _unanswered - unanswered, terms, leaders);
    }

    private string Name(int leader) => leader < 0 ? "(none)" : new Uri(nodes[leader]).Host;

    private async Task<View?[]> PollAllAsync()
    {
        var views = await Task.WhenAll(nodes.Select(PollAsync));
        _polls += views.Length;
        _unanswered += views.Count(v => v is null);
        return views;
    }

    /// <summary>Term from /v1/agent/self (Stats.raft.term, as Consul reports it) and the leader this server names.</summary>
    private async Task<View?> PollAsync(string node)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var self = JsonDocument.Parse(await http.GetStringAsync($"{node}/v1/agent/self", timeout.Token));
            var term = long.Parse(self.RootElement.GetProperty("Stats").GetProperty("raft").GetProperty("term").GetString()!, CultureInfo.InvariantCulture);
            var leader = await Kv.ReportedLeaderAsync(http, node, nodes, timeout.Token);
            return new View(term, leader);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException or FormatException)
        {
            return null;
        }
    }
}
