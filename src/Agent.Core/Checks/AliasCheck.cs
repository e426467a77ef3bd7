using Consul.Core.Model;
using Microsoft.Extensions.Logging;

namespace Consul.Core.Checks;

/// <summary>
/// Consul's CheckAlias: mirrors the health of AliasService (on AliasNode, or in the local
/// agent when AliasNode is empty), or of AliasNode's node-level checks when no service is
/// given. Re-evaluates on every change the source signals and at least once a minute.
/// Read errors: from the second one in a row the check is critical with "Failure checking
/// aliased node or service: ..."; after three it backs off 2s, 4s, ... up to 1 minute.
/// </summary>
internal sealed class AliasCheck : CheckRunner
{
    private static readonly TimeSpan MaxBetweenUpdates = TimeSpan.FromMinutes(1);
    private const int BackoffMin = 3;
    private static readonly TimeSpan BackoffMaxWait = TimeSpan.FromMinutes(1);

    private readonly IAliasSource _source;
    private readonly string _node;
    private readonly string _serviceId;

    public AliasCheck(CheckSettings s, IAliasSource source) : base(s.CheckId, s.Notifier, s.Time, s.Log)
    {
        _source = source;
        _node = s.Definition.AliasNode ?? "";
        _serviceId = s.Definition.AliasService ?? "";
    }

    private string? SourceNode => _node.Length == 0 ? null : _node;

    protected override async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            if (attempt > BackoffMin)
            {
                var shift = Math.Min(attempt - BackoffMin, 31);
                var wait = TimeSpan.FromSeconds(Math.Min(1L << shift, (long)BackoffMaxWait.TotalSeconds));
                await Task.Delay(wait, Time, stop).ConfigureAwait(false);
            }

            AliasChecks snapshot;
            try
            {
                snapshot = await _source.GetChecksAsync(SourceNode, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                attempt++;
                Log.LogWarning("Alias check {CheckId} failed to read checks: {Error}", CheckId, e.Message);
                if (attempt > 1) Notify(HealthStatus.Critical, $"Failure checking aliased node or service: {e.Message}");
                continue;
            }
            attempt = 0;

            var (status, output) = await AliasHealth.EvaluateAsync(_node, _serviceId, snapshot.Checks, () => ServiceExistsAsync(stop)).ConfigureAwait(false);
            Notify(status, output);

            // Wait for a change, but re-read at least once a minute in case one was missed.
            using var refresh = new CancellationTokenSource(MaxBetweenUpdates, Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, refresh.Token);
            try
            {
                await _source.WaitForChangeAsync(SourceNode, snapshot.Index, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LogWarning("Alias check {CheckId} failed waiting for changes: {Error}", CheckId, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), Time, stop).ConfigureAwait(false); // no hot loop on a broken source
            }
        }
    }

    private async ValueTask<bool> ServiceExistsAsync(CancellationToken stop)
    {
        try
        {
            return await _source.ServiceExistsAsync(SourceNode, _serviceId, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As Consul: if we can't tell, assume the service exists.
            Log.LogDebug("Alias check {CheckId} could not look up service: {Error}", CheckId, e.Message);
            return true;
        }
    }
}
