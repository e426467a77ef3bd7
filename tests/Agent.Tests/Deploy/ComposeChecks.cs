using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>
/// Consistency rules for docker-compose.yml (the tutorial's three servers and one client),
/// as a pure function from the parsed file to a list of problems.
/// </summary>
public static class ComposeChecks
{
    public static readonly string[] Servers = ["consul-server1", "consul-server2", "consul-server3"];
    public const string Client = "consul-client";

    public static List<string> Check(JsonNode compose)
    {
        var problems = new List<string>();
        var services = compose["services"]?.AsObject();
        if (services is null) return ["no services"];
        foreach (var name in Servers.Append(Client))
            if (services[name] is null) problems.Add($"service {name} missing");
        if (problems.Count > 0) return problems;

        var addresses = new Dictionary<string, string>();
        foreach (var name in Servers.Append(Client))
        {
            var svc = services[name]!;
            CheckCommon(compose, name, svc, problems);
            var ip = StaticAddress(compose, name, svc, problems);
            if (ip is not null) addresses[name] = ip;
        }
        if (addresses.Values.Distinct().Count() != addresses.Count) problems.Add("two services share a static address");
        if (addresses.Count != Servers.Length + 1) return problems;

        foreach (var name in Servers)
        {
            var args = Command(services[name]!);
            foreach (var flag in new[] { "agent", "-server", $"-bootstrap-expect={Servers.Length}", "-client=0.0.0.0", "-ui", $"-bind={addresses[name]}" })
                if (!args.Contains(flag)) problems.Add($"{name}: command lacks {flag}");
            var joins = RetryJoins(args);
            var others = Servers.Where(s => s != name).Select(s => addresses[s]).ToHashSet();
            if (!joins.SetEquals(others))
                problems.Add($"{name}: -retry-join [{string.Join(", ", joins)}] should be the other servers [{string.Join(", ", others)}]");
        }
        var clientArgs = Command(services[Client]!);
        if (clientArgs.Contains("-server")) problems.Add($"{Client}: must not run -server");
        if (!clientArgs.Contains($"-bind={addresses[Client]}")) problems.Add($"{Client}: command lacks -bind={addresses[Client]}");
        var clientJoins = RetryJoins(clientArgs);
        if (clientJoins.Count == 0 || !clientJoins.IsSubsetOf(Servers.Select(s => addresses[s])))
            problems.Add($"{Client}: -retry-join must name server addresses");

        var published = services[Servers[0]]!["ports"]?.AsArray().Select(p => p!.ToString()).ToHashSet() ?? [];
        foreach (var port in new[] { "8500:8500", "8600:8600/udp" })
            if (!published.Contains(port)) problems.Add($"{Servers[0]}: port {port} not published");
        return problems;
    }

    private static void CheckCommon(JsonNode compose, string name, JsonNode svc, List<string> problems)
    {
        if (svc["image"]?.ToString() != "consul-web:latest") problems.Add($"{name}: image must be consul-web:latest");
        if (svc["build"]?.ToString() != ".") problems.Add($"{name}: must build from the repository's Dockerfile (build: .)");
        if (svc["restart"] is null) problems.Add($"{name}: no restart policy");
        var test = svc["healthcheck"]?["test"]?.ToJsonString() ?? "";
        if (!test.Contains("/v1/status/leader", StringComparison.Ordinal)) problems.Add($"{name}: healthcheck must query /v1/status/leader");

        var volume = svc["volumes"]?.AsArray().Select(v => v!.ToString()).FirstOrDefault(v => v.EndsWith(":/consul/data", StringComparison.Ordinal));
        var volumeName = volume?[..volume.IndexOf(':')];
        if (volumeName is null || compose["volumes"]?.AsObject().ContainsKey(volumeName) != true)
            problems.Add($"{name}: /consul/data is not a named volume");

        if (svc["environment"]?["CONSUL_LOCAL_CONFIG"] is { } local)
        {
            try { JsonNode.Parse(local.ToString()); }
            catch (JsonException e) { problems.Add($"{name}: CONSUL_LOCAL_CONFIG is not JSON: {e.Message}"); }
        }
    }

    /// <summary>The service's ipv4_address, checked to lie in its network's subnet.</summary>
    private static string? StaticAddress(JsonNode compose, string name, JsonNode svc, List<string> problems)
    {
        var networks = svc["networks"]?.AsObject();
        if (networks is null || networks.Count != 1)
        {
            problems.Add($"{name}: must be on exactly one network");
            return null;
        }
        var (network, attachment) = networks.First();
        var address = attachment?["ipv4_address"]?.ToString();
        var subnet = compose["networks"]?[network]?["ipam"]?["config"]?[0]?["subnet"]?.ToString();
        if (compose["networks"]?[network]?["driver"]?.ToString() != "bridge")
            problems.Add($"network {network} must be a user-defined bridge");
        if (address is null || subnet is null || !IPAddress.TryParse(address, out var ip) || !IPNetwork.TryParse(subnet, out var net))
        {
            problems.Add($"{name}: needs a static ipv4_address on a network with an ipam subnet");
            return null;
        }
        if (!net.Contains(ip)) problems.Add($"{name}: {address} is outside {subnet}");
        return address;
    }

    private static List<string> Command(JsonNode svc) => svc["command"] switch
    {
        JsonArray a => a.Select(x => x!.ToString()).ToList(),
        { } s => s.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList(),
        null => [],
    };

    private static HashSet<string> RetryJoins(List<string> args) =>
        args.Where(a => a.StartsWith("-retry-join=", StringComparison.Ordinal)).Select(a => a["-retry-join=".Length..]).ToHashSet();
}
