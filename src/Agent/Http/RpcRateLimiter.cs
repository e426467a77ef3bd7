using Consul.Agent.Config;

namespace Consul.Agent.Http;

/// <summary>
/// limits.rpc_rate and limits.rpc_max_burst: a token bucket over the requests this agent
/// would make to the servers on a caller's behalf. Consul charges each RPC its client (or a
/// server's own agent) makes; here that is every /v1/ request an operator sends except the
/// agent's own /v1/agent/ endpoints, and nothing forwarded from another agent (applied by
/// <see cref="HttpConfigPolicy"/>). Over the rate: 429 "RPC rate limit exceeded". Reloadable, as in Consul.
/// </summary>
public sealed class RpcRateLimiter(LimitsConfig limits, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private double _rate = limits.RpcRate;
    private double _burst = Math.Max(0, limits.RpcMaxBurst);
    private double _tokens = Math.Max(0, limits.RpcMaxBurst);
    private long _stamp = (time ?? TimeProvider.System).GetTimestamp();

    /// <summary>Takes one token if there is one (golang.org/x/time/rate's Allow: the bucket starts full).</summary>
    public bool Allow()
    {
        lock (_gate)
        {
            if (double.IsPositiveInfinity(_rate)) return true;
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_stamp, now).TotalSeconds * _rate);
            _stamp = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }

    /// <summary>New limits from a reload; tokens already earned are kept up to the new burst.</summary>
    public void Update(LimitsConfig next)
    {
        lock (_gate)
        {
            _rate = next.RpcRate;
            _burst = Math.Max(0, next.RpcMaxBurst);
            _tokens = Math.Min(_tokens, _burst);
        }
    }
}
