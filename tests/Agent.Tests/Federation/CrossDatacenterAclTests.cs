using System.Net.Http.Headers;
using Consul.Tests.ClusterE2E;
using Consul.Tests.EndToEnd;

namespace Consul.Tests.Federation;

/// <summary>
/// ACLs across datacenters without replication (127.0.0.173–174): a forwarded request carries
/// the caller's token and the target datacenter checks it, so only that datacenter's own tokens work there.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class CrossDatacenterAclTests
{
    private const string Dc1 = "127.0.0.173", Dc2 = "127.0.0.174";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact(Timeout = 180_000)]
    public async Task The_target_datacenter_checks_the_forwarded_token()
    {
        var root = Directory.CreateTempSubdirectory("consul-fed-acl-").FullName;
        var agents = new List<AgentProcess>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            agents.Add(Start(root, Dc1, "dc1", Dc2, "root-dc1"));
            agents.Add(Start(root, Dc2, "dc2", Dc1, "root-dc2"));
            foreach (var a in agents) await a.WaitForLeaderAsync(Settle);

            async Task<(int, string)> Put(string agent, string path, string? token)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"http://{agent}:8500{path}") { Content = new StringContent("v") };
                if (token is not null) request.Headers.Add("X-Consul-Token", token);
                using var resp = await http.SendAsync(request);
                return ((int)resp.StatusCode, await resp.Content.ReadAsStringAsync());
            }

            // Wait until dc1 routes to dc2 and dc2 accepts its own management token.
            await ProcessPoll.UntilAsync("dc1 routes to dc2 and dc2 accepts its management token", Settle,
                async () => (await Put(Dc1, "/v1/kv/fed/acl?dc=dc2", "root-dc2")).Item1 == 200,
                () => string.Join("\n", agents.Select(a => a.Output[^Math.Min(3000, a.Output.Length)..])));

            // dc1's token means nothing in dc2, and no token is anonymous there (default deny).
            var (foreignStatus, foreignBody) = await Put(Dc1, "/v1/kv/fed/acl?dc=dc2", "root-dc1");
            Assert.Equal(403, foreignStatus);
            Assert.Contains("ACL not found", foreignBody);
            Assert.Equal(403, (await Put(Dc1, "/v1/kv/fed/acl?dc=dc2", null)).Item1);
            // Authorization: Bearer travels too.
            using var bearer = new HttpRequestMessage(HttpMethod.Get, $"http://{Dc1}:8500/v1/kv/fed/acl?dc=dc2&raw");
            bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "root-dc2");
            using var read = await http.SendAsync(bearer);
            Assert.Equal("v", await read.Content.ReadAsStringAsync());
        }
        finally
        {
            foreach (var a in agents) await a.DisposeAsync();
            try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static AgentProcess Start(string root, string address, string dc, string wanPeer, string management)
    {
        var config = Path.Combine(root, $"{dc}.hcl");
        File.WriteAllText(config, $$"""
            performance { raft_multiplier = 1 }
            acl {
              enabled = true
              default_policy = "deny"
              tokens { initial_management = "{{management}}" }
            }
            """);
        return AgentProcess.Start(address, ["agent", "-server", "-bootstrap-expect=1", $"-node=acl-{dc}", $"-bind={address}", $"-client={address}",
            $"-datacenter={dc}", $"-data-dir={Path.Combine(root, dc)}", $"-config-file={config}", $"-retry-join-wan={wanPeer}", "-retry-interval-wan=1s"]);
    }
}
