using System.Text.Json;
using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>
/// Consistency rules for the Kubernetes manifests, as a pure function from documents to a
/// list of problems, so tests can show that a broken manifest is caught.
/// </summary>
public static class KubernetesManifestChecks
{
    /// <summary>Consul's ports as (port, protocol): server RPC, LAN/WAN gossip, HTTP, DNS.</summary>
    public static readonly (int Port, string Protocol)[] ConsulPorts =
    [
        (8300, "TCP"), (8301, "TCP"), (8301, "UDP"), (8302, "TCP"), (8302, "UDP"),
        (8500, "TCP"), (8600, "TCP"), (8600, "UDP"),
    ];

    private static readonly Dictionary<string, string> ApiVersions = new()
    {
        ["Namespace"] = "v1",
        ["ConfigMap"] = "v1",
        ["Service"] = "v1",
        ["StatefulSet"] = "apps/v1",
        ["DaemonSet"] = "apps/v1",
        ["PodDisruptionBudget"] = "policy/v1",
    };

    public static List<string> Check(IReadOnlyList<JsonNode?> docs)
    {
        var problems = new List<string>();
        for (var i = 0; i < docs.Count; i++)
            CheckIdentity(docs[i], i, problems);
        if (problems.Count > 0) return problems;
        var resources = docs.Select(d => d!).ToList();

        var sts = Single(resources, "StatefulSet", problems);
        var ds = Single(resources, "DaemonSet", problems);
        var pdb = Single(resources, "PodDisruptionBudget", problems);
        var config = Single(resources, "ConfigMap", problems);
        var services = resources.Where(r => Str(r["kind"]) == "Service").ToList();
        var headless = services.FirstOrDefault(s => Str(s["spec"]?["clusterIP"]) == "None");
        var clusterIp = services.FirstOrDefault(s => Str(s["spec"]?["clusterIP"]) != "None");
        if (headless is null) problems.Add("no headless Service (clusterIP: None)");
        if (clusterIp is null) problems.Add("no ClusterIP Service for the UI");
        if (sts is null || ds is null || pdb is null || config is null || headless is null || clusterIp is null)
            return problems;

        var ns = Str(sts["metadata"]!["namespace"]);
        foreach (var r in resources.Where(r => Str(r["kind"]) != "Namespace"))
            if (Str(r["metadata"]!["namespace"]) != ns)
                problems.Add($"{Name(r)} is in namespace '{Str(r["metadata"]!["namespace"])}', the servers in '{ns}'");
        if (!resources.Any(r => Str(r["kind"]) == "Namespace" && Str(r["metadata"]!["name"]) == ns))
            problems.Add($"namespace '{ns}' is not created by the manifests");

        CheckHeadlessService(headless, problems);
        CheckStatefulSet(sts, headless, ns, problems);
        CheckDaemonSet(ds, headless, ns, problems);
        var serverLabels = Labels(sts["spec"]?["template"]?["metadata"]?["labels"]);
        CheckSelects(headless["spec"]?["selector"], serverLabels, Name(headless), problems);
        CheckSelects(clusterIp["spec"]?["selector"], serverLabels, Name(clusterIp), problems);
        CheckSelects(pdb["spec"]?["selector"]?["matchLabels"], serverLabels, Name(pdb), problems);
        if (pdb["spec"]?["maxUnavailable"]?.ToString() != "1")
            problems.Add($"{Name(pdb)}: maxUnavailable must be 1");
        if (!clusterIp["spec"]!["ports"]!.AsArray().Any(p => TargetPort(p!) == 8500))
            problems.Add($"{Name(clusterIp)} does not target port 8500");
        CheckConfigMap(config, sts, problems);
        return problems;
    }

    private static void CheckIdentity(JsonNode? doc, int index, List<string> problems)
    {
        if (doc is not JsonObject)
        {
            problems.Add($"document {index} is empty or not a mapping");
            return;
        }
        var kind = Str(doc["kind"]);
        var apiVersion = Str(doc["apiVersion"]);
        var name = Str(doc["metadata"]?["name"]);
        if (kind is null || apiVersion is null || string.IsNullOrEmpty(name))
        {
            problems.Add($"document {index} lacks apiVersion, kind or metadata.name");
            return;
        }
        if (!ApiVersions.TryGetValue(kind, out var expected))
            problems.Add($"{kind}/{name}: unexpected kind");
        else if (apiVersion != expected)
            problems.Add($"{kind}/{name}: apiVersion is {apiVersion}, expected {expected}");
    }

    private static void CheckHeadlessService(JsonNode svc, List<string> problems)
    {
        if (svc["spec"]?["publishNotReadyAddresses"]?.GetValue<bool>() != true)
            problems.Add($"{Name(svc)}: publishNotReadyAddresses must be true (servers join before they are ready)");
        var ports = svc["spec"]?["ports"]?.AsArray().Select(p => (Int(p!["port"]), Protocol(p!))).ToHashSet() ?? [];
        foreach (var port in ConsulPorts)
            if (!ports.Contains(port))
                problems.Add($"{Name(svc)}: missing port {port.Port}/{port.Protocol}");
    }

    private static void CheckStatefulSet(JsonNode sts, JsonNode headless, string? ns, List<string> problems)
    {
        var spec = sts["spec"]!;
        var name = Str(sts["metadata"]!["name"]);
        var service = Str(headless["metadata"]!["name"]);
        var replicas = Int(spec["replicas"]);
        if (Str(spec["serviceName"]) != service)
            problems.Add($"{Name(sts)}: serviceName '{Str(spec["serviceName"])}' is not the headless Service '{service}'");
        if (Str(spec["podManagementPolicy"]) != "Parallel")
            problems.Add($"{Name(sts)}: podManagementPolicy must be Parallel");
        CheckSelects(spec["selector"]?["matchLabels"], Labels(spec["template"]?["metadata"]?["labels"]), Name(sts), problems);

        var pod = spec["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = Args(container);
        var joins = args.Where(a => a.StartsWith("-retry-join=", StringComparison.Ordinal)).Select(a => a["-retry-join=".Length..]).ToHashSet();
        var expected = Enumerable.Range(0, replicas).Select(i => $"{name}-{i}.{service}.{ns}.svc.cluster.local").ToHashSet();
        if (!joins.SetEquals(expected))
            problems.Add($"{Name(sts)}: -retry-join [{string.Join(", ", joins)}] should be [{string.Join(", ", expected)}]");
        if (!args.Contains($"-bootstrap-expect={replicas}"))
            problems.Add($"{Name(sts)}: -bootstrap-expect must equal replicas ({replicas})");
        if (!args.Contains("-server")) problems.Add($"{Name(sts)}: -server missing");
        CheckAdvertise(container, args, Name(sts), problems);

        var ports = ContainerPorts(container);
        foreach (var port in ConsulPorts)
            if (!ports.Contains(port))
                problems.Add($"{Name(sts)}: container port {port.Port}/{port.Protocol} missing");
        foreach (var p in headless["spec"]!["ports"]!.AsArray())
            if (!ports.Contains((TargetPort(p!), Protocol(p!))))
                problems.Add($"{Name(headless)}: targetPort {TargetPort(p!)}/{Protocol(p!)} is not a container port");

        CheckLeaderProbe(container, Name(sts), problems);
        var claims = spec["volumeClaimTemplates"]?.AsArray().Select(c => Str(c!["metadata"]!["name"])).ToHashSet() ?? [];
        var dataMount = container["volumeMounts"]?.AsArray().FirstOrDefault(m => Str(m!["mountPath"]) == "/consul/data");
        if (dataMount is null || !claims.Contains(Str(dataMount["name"])))
            problems.Add($"{Name(sts)}: /consul/data is not mounted from a volumeClaimTemplate");
        CheckNonRoot(pod, Name(sts), problems);
    }

    private static void CheckDaemonSet(JsonNode ds, JsonNode headless, string? ns, List<string> problems)
    {
        var spec = ds["spec"]!;
        CheckSelects(spec["selector"]?["matchLabels"], Labels(spec["template"]?["metadata"]?["labels"]), Name(ds), problems);
        var pod = spec["template"]!["spec"]!;
        var container = pod["containers"]![0]!;
        var args = Args(container);
        if (args.Contains("-server")) problems.Add($"{Name(ds)}: client agents must not run -server");
        var service = $"{Str(headless["metadata"]!["name"])}.{ns}.svc.cluster.local";
        if (!args.Contains($"-retry-join={service}"))
            problems.Add($"{Name(ds)}: -retry-join must point at the server Service {service}");
        CheckAdvertise(container, args, Name(ds), problems);
        CheckLeaderProbe(container, Name(ds), problems);
        var ports = ContainerPorts(container);
        foreach (var port in new[] { (8301, "TCP"), (8301, "UDP"), (8500, "TCP"), (8600, "UDP") })
            if (!ports.Contains(port))
                problems.Add($"{Name(ds)}: container port {port.Item1}/{port.Item2} missing");
        CheckNonRoot(pod, Name(ds), problems);
    }

    private static void CheckConfigMap(JsonNode config, JsonNode sts, List<string> problems)
    {
        var name = Str(config["metadata"]!["name"]);
        var volumes = sts["spec"]!["template"]!["spec"]!["volumes"]?.AsArray() ?? [];
        if (!volumes.Any(v => Str(v!["configMap"]?["name"]) == name))
            problems.Add($"{Name(sts)} does not mount ConfigMap {name}");
        foreach (var (key, value) in config["data"]?.AsObject() ?? [])
        {
            if (!key.EndsWith(".json", StringComparison.Ordinal)) continue;
            try
            {
                var json = JsonNode.Parse(Str(value)!)!;
                if (json["bootstrap_expect"] is { } expect && Int(expect) != Int(sts["spec"]!["replicas"]))
                    problems.Add($"{Name(config)}: {key} bootstrap_expect differs from the StatefulSet's replicas");
            }
            catch (JsonException e)
            {
                problems.Add($"{Name(config)}: {key} is not valid JSON: {e.Message}");
            }
        }
    }

    /// <summary>-advertise must come from the pod IP through the downward API.</summary>
    private static void CheckAdvertise(JsonNode container, List<string> args, string owner, List<string> problems)
    {
        if (!args.Contains("-advertise=$(POD_IP)"))
            problems.Add($"{owner}: -advertise=$(POD_IP) missing");
        var env = container["env"]?.AsArray().FirstOrDefault(e => Str(e!["name"]) == "POD_IP");
        if (Str(env?["valueFrom"]?["fieldRef"]?["fieldPath"]) != "status.podIP")
            problems.Add($"{owner}: POD_IP must come from fieldRef status.podIP");
    }

    private static void CheckLeaderProbe(JsonNode container, string owner, List<string> problems)
    {
        var get = container["readinessProbe"]?["httpGet"];
        if (Str(get?["path"]) != "/v1/status/leader" || get?["port"]?.ToString() != "8500")
            problems.Add($"{owner}: readinessProbe must GET /v1/status/leader on 8500");
    }

    private static void CheckNonRoot(JsonNode pod, string owner, List<string> problems)
    {
        var sc = pod["securityContext"];
        if (sc?["runAsNonRoot"]?.GetValue<bool>() != true || sc["runAsUser"] is null || Int(sc["runAsUser"]) == 0)
            problems.Add($"{owner}: pod must run as non-root with a non-zero runAsUser");
    }

    private static void CheckSelects(JsonNode? selector, Dictionary<string, string> labels, string owner, List<string> problems)
    {
        var wanted = Labels(selector);
        if (wanted.Count == 0)
        {
            problems.Add($"{owner}: empty selector");
            return;
        }
        foreach (var (k, v) in wanted)
            if (!labels.TryGetValue(k, out var actual) || actual != v)
                problems.Add($"{owner}: selector {k}={v} does not match the pod template labels");
    }

    private static JsonNode? Single(List<JsonNode> resources, string kind, List<string> problems)
    {
        var found = resources.Where(r => Str(r["kind"]) == kind).ToList();
        if (found.Count != 1) problems.Add($"expected one {kind}, found {found.Count}");
        return found.Count == 1 ? found[0] : null;
    }

    private static List<string> Args(JsonNode container) =>
        container["args"]?.AsArray().Select(a => Str(a)!).ToList() ?? [];

    private static HashSet<(int, string)> ContainerPorts(JsonNode container) =>
        container["ports"]?.AsArray().Select(p => (Int(p!["containerPort"]), Protocol(p!))).ToHashSet() ?? [];

    private static int TargetPort(JsonNode port) => Int(port["targetPort"] ?? port["port"]);

    private static string Protocol(JsonNode port) => Str(port["protocol"]) ?? "TCP";

    private static Dictionary<string, string> Labels(JsonNode? node) =>
        node?.AsObject().ToDictionary(kv => kv.Key, kv => Str(kv.Value) ?? "") ?? [];

    private static string Name(JsonNode r) => $"{Str(r["kind"])}/{Str(r["metadata"]?["name"])}";

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToString();

    private static int Int(JsonNode? n) => n is JsonValue v && v.TryGetValue<int>(out var i) ? i : -1;
}
