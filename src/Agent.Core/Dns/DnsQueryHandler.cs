using ARSoft.Tools.Net.Dns;
using Consul.Core.State;

namespace Consul.Core.Dns;

/// <summary>
/// One parsed query in, one response out: header checks, the answer cache, the resolver,
/// and recursion for names outside the domain. No sockets; the server calls it per query.
/// </summary>
public sealed class DnsQueryHandler
{
    private readonly StateStore _store;
    private readonly DnsResolver _resolver;
    private readonly DnsAnswerCache _cache;
    private readonly Recursor? _recursor;
    private readonly ICommandLog? _log;
    private readonly RemoteViewCache _remote;

    /// <param name="log">Where reads are confirmed with the leader (allow_stale = false, or
    /// max_stale exceeded); null answers from local state always.</param>
    public DnsQueryHandler(StateStore store, DnsResolver resolver, DnsAnswerCache cache, Recursor? recursor, ICommandLog? log = null, TimeProvider? time = null)
    {
        _remote = new RemoteViewCache(time ?? TimeProvider.System, resolver.Options.RemoteCacheMaxAge);
        _store = store;
        _resolver = resolver;
        _cache = cache;
        _recursor = recursor;
        _log = log;
    }

    public DnsAnswerCache Cache => _cache;

    /// <summary>
    /// The tables DNS answers are built from. Writes to others (KV, sessions, network coordinates)
    /// leave cached answers valid; coordinates only order prepared-query answers, and entries
    /// expire after a few seconds anyway.
    /// </summary>
    private static readonly string[] AnswerTables =
        [Tables.Nodes, Tables.Services, Tables.Checks, Tables.AclTokens, Tables.AclPolicies, Tables.AclRoles, Tables.PreparedQueries];

    /// <summary>What cached answers are keyed by: the last change to any table they are built from.</summary>
    public static ulong CatalogIndex(StateSnapshot snapshot) => snapshot.MaxIndex(AnswerTables);

    public async Task<DnsMessage> HandleAsync(DnsMessage query, bool tcp, CancellationToken ct)
    {
        var response = await AnswerAsync(query, tcp, ct);
        EchoClientSubnet(query, response);
        return response;
    }

    /// <summary>
    /// Consul's setEDNS: an EDNS Client Subnet option comes back with scope 0, since answers do
    /// not depend on the client's network.
    /// </summary>
    private static void EchoClientSubnet(DnsMessage query, DnsMessage response)
    {
        if (!response.IsEDnsEnabled || query.EDnsOptions?.Options.OfType<ClientSubnetOption>().FirstOrDefault() is not { } subnet) return;
        var options = response.EDnsOptions!.Options;
        options.RemoveAll(o => o is ClientSubnetOption);
        options.Add(new ClientSubnetOption(subnet.SourceNetmask, 0, subnet.Address));
    }

    private async Task<DnsMessage> AnswerAsync(DnsMessage query, bool tcp, CancellationToken ct)
    {
        if (query.OperationCode != OperationCode.Query) return Reply(query, ReturnCode.NotImplemented);
        if (query.Questions.Count != 1 || !query.IsQuery) return Reply(query, ReturnCode.FormatError);

        var question = query.Questions[0];
        if (NeedsLeader() && _resolver.ReadsCatalog(question.Name))
        {
            try
            {
                await _log!.DefaultReadBarrierAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Consul's RPC fails (no leader, no server): the lookup answers SERVFAIL.
                return Reply(query, ReturnCode.ServerFailure);
            }
        }
        // Permissions first: a token or ACL change after this point is seen by the next query.
        var access = _resolver.Options.Access();
        var snapshot = _store.Current;
        var answer = _cache.GetOrAdd(CatalogIndex(snapshot), access.CacheKey, question.Name, question.RecordType,
            () => _resolver.Resolve(snapshot, question.Name, question.RecordType, access));

        if (answer is { Route: AnswerRoute.Remote, Remote: { } lookup })
            answer = _resolver.ResolveRemote(await FetchAsync(lookup, access, ct), question.Name, question.RecordType);
        if (answer.Route != AnswerRoute.Recurse) return _resolver.BuildResponse(query, answer, tcp);
        if (_recursor is { Count: > 0 } && await _recursor.ForwardAsync(query, tcp, ct) is { } forwarded) return forwarded;
        var failed = Reply(query, ReturnCode.ServerFailure);
        failed.IsRecursionAllowed = true;
        return failed;
    }

    /// <summary>
    /// The other datacenter's view for a lookup (Consul's DNS RPCs with Datacenter set); a failed
    /// fetch is a failed view, answered SERVFAIL as Consul answers a failed RPC.
    /// </summary>
    private Task<RemoteView> FetchAsync(RemoteLookup lookup, DnsAccess access, CancellationToken ct) =>
        _remote.GetOrFetchAsync(lookup, access.CacheKey, async () =>
        {
            try
            {
                if (lookup.Kind == RemoteKind.QueryFailover) return await FailOverAsync(lookup, ct);
                return RemoteView.From(lookup, await _resolver.Options.RemoteFetch!(lookup, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return new RemoteView { Datacenter = lookup.Datacenter, Failed = true };
            }
        });

    /// <summary>A local prepared query that found nothing, run in its failover datacenters.</summary>
    private async Task<RemoteView> FailOverAsync(RemoteLookup lookup, CancellationToken ct)
    {
        if (Queries.PreparedQueryLookup.Resolve(_store.Current, lookup.Name) is not { } query)
            return new RemoteView { Datacenter = lookup.Datacenter };
        var none = new Queries.QueryExecution(query.Service.Service, [], query.DNS, lookup.Datacenter, 0);
        var result = await _resolver.Options.QueryFailover!(none, query, ct);
        return new RemoteView { Datacenter = result.Datacenter, Query = result, FailedOver = true };
    }

    /// <summary>
    /// Consul's dns_config staleness rules: with allow_stale (the default) any server's copy will
    /// do unless it last heard from the leader more than max_stale ago; without it, every lookup
    /// is a default-consistency read that the leader vouches for. Here that is a read barrier
    /// before answering from local state.
    /// </summary>
    public bool NeedsLeader()
    {
        if (_log is null) return false;
        var options = _resolver.Options;
        return !options.AllowStale || _log.Consistency.LastContact > options.MaxStale;
    }

    /// <summary>
    /// What answers are cached against right now: the catalog index and the DNS token's
    /// permissions (read in the order <see cref="AnswerAsync"/> reads them).
    /// </summary>
    public (ulong Index, object Scope) Generation()
    {
        var scope = _resolver.Options.Access().CacheKey;
        return (CatalogIndex(_store.Current), scope);
    }

    /// <summary>
    /// Whether the response to this raw query comes from the local catalog and so may be cached
    /// by its index: not for names outside the Consul domains (recursed), nor for names about
    /// another datacenter (a remote change does not move the local index).
    /// </summary>
    public bool AnswersFromCatalog(ArraySegment<byte> query)
    {
        var recurses = _recursor is { Count: > 0 };
        if (!recurses && _resolver.Options.RemoteFetch is null && _resolver.Options.QueryFailover is null) return true;
        try
        {
            return DnsMessage.Parse(query).Questions is [var question]
                && (!recurses || _resolver.InZone(question.Name))
                && _resolver.RemoteDatacenterOf(question.Name, question.RecordType) is null
                && !_resolver.MayFailOver(_store.Current, question.Name, question.RecordType);
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static DnsMessage Reply(DnsMessage query, ReturnCode code)
    {
        var response = query.CreateResponseInstance();
        response.ReturnCode = code;
        return response;
    }
}
