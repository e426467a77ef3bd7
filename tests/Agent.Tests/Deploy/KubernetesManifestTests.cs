using System.Text.Json.Nodes;

namespace Consul.Tests.Deploy;

/// <summary>deploy/kubernetes/*.yaml: the shipped manifests pass the checks, and broken copies do not.</summary>
public class KubernetesManifestTests
{
    private static List<JsonNode?> Docs() => DeployFiles.KubernetesManifests().Select(m => m.Doc).ToList();

    private static JsonNode Find(List<JsonNode?> docs, string kind, string? clusterIp = null) =>
        docs.First(d => d!["kind"]!.ToString() == kind
            && (clusterIp is null || (d["spec"]?["clusterIP"]?.ToString() ?? "") == clusterIp))!;

    [Fact]
    public void ShippedManifestsPassEveryCheck()
    {
        var problems = KubernetesManifestChecks.Check(Docs());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void EachFileHoldsOneResource()
    {
        var manifests = DeployFiles.KubernetesManifests();
        Assert.Equal(manifests.Count, manifests.Select(m => m.File).Distinct().Count());
        Assert.Equal(
            ["ConfigMap", "DaemonSet", "Namespace", "PodDisruptionBudget", "Service", "Service", "StatefulSet"],
            manifests.Select(m => m.Doc!["kind"]!.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void StatefulSetRunsThreeServersOnClaimedStorage()
    {
        var sts = Find(Docs(), "StatefulSet");
        Assert.Equal(3, sts["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("Parallel", sts["spec"]!["podManagementPolicy"]!.ToString());
        var args = sts["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]!.AsArray().Select(a => a!.ToString()).ToList();
        Assert.Contains("-retry-join=consul-server-0.consul-server.consul.svc.cluster.local", args);
        Assert.Contains("-retry-join=consul-server-2.consul-server.consul.svc.cluster.local", args);
        Assert.Contains("-bootstrap-expect=3", args);
        Assert.Single(sts["spec"]!["volumeClaimTemplates"]!.AsArray());
    }

    [Fact]
    public void SelectorMismatchIsReported()
    {
        var docs = Docs();
        Find(docs, "StatefulSet")["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/component"] = "servers";
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.Contains("StatefulSet/consul-server: selector", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceSelectingNoServerIsReported()
    {
        var docs = Docs();
        Find(docs, "Service", "")["spec"]!["selector"]!["app.kubernetes.io/name"] = "vault";
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.StartsWith("Service/consul-ui: selector", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongServiceNameIsReported()
    {
        var docs = Docs();
        Find(docs, "StatefulSet")["spec"]!["serviceName"] = "consul";
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.Contains("serviceName 'consul'", StringComparison.Ordinal));
    }

    [Fact]
    public void RetryJoinOutOfStepWithReplicasIsReported()
    {
        var docs = Docs();
        Find(docs, "StatefulSet")["spec"]!["replicas"] = 5;
        var problems = KubernetesManifestChecks.Check(docs);
        Assert.Contains(problems, p => p.Contains("-retry-join [", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("-bootstrap-expect must equal replicas (5)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("bootstrap_expect differs", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingUdpPortIsReported()
    {
        var docs = Docs();
        var ports = Find(docs, "Service", "None")["spec"]!["ports"]!.AsArray();
        ports.Remove(ports.First(p => p!["name"]!.ToString() == "dns-udp"));
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.EndsWith("missing port 8600/UDP", StringComparison.Ordinal));
    }

    [Fact]
    public void DataNotOnClaimIsReported()
    {
        var docs = Docs();
        Find(docs, "StatefulSet")["spec"]!["volumeClaimTemplates"]![0]!["metadata"]!["name"] = "storage";
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.Contains("/consul/data is not mounted", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongProbeAndRootUserAreReported()
    {
        var docs = Docs();
        var pod = Find(docs, "DaemonSet")["spec"]!["template"]!["spec"]!;
        pod["containers"]![0]!["readinessProbe"]!["httpGet"]!["path"] = "/v1/agent/self";
        pod["securityContext"]!["runAsUser"] = 0;
        var problems = KubernetesManifestChecks.Check(docs);
        Assert.Contains(problems, p => p.StartsWith("DaemonSet/consul-client: readinessProbe", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DaemonSet/consul-client: pod must run as non-root", StringComparison.Ordinal));
    }

    [Fact]
    public void WrongApiVersionAndMissingNameAreReported()
    {
        var docs = Docs();
        Find(docs, "PodDisruptionBudget")["apiVersion"] = "policy/v1beta1";
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.Contains("apiVersion is policy/v1beta1", StringComparison.Ordinal));
        docs = Docs();
        Find(docs, "ConfigMap")["metadata"]!.AsObject().Remove("name");
        Assert.Contains(KubernetesManifestChecks.Check(docs), p => p.Contains("lacks apiVersion, kind or metadata.name", StringComparison.Ordinal));
    }
}
