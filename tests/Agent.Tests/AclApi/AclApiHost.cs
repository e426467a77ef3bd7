using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Consul.Agent.Config;
using Consul.Core.Acl;
using Consul.Core.State;
using Consul.Tests.Http;

namespace Consul.Tests.AclApi;

/// <summary>An in-process agent with ACLs enabled (default deny) and helpers that send a token with each request.</summary>
public sealed class AclApiHost : IAsyncDisposable
{
    public const string Root = "root";

    private AclApiHost(AgentTestHost host, string? dataDir)
    {
        Host = host;
        DataDir = dataDir;
    }

    public AgentTestHost Host { get; }
    public string? DataDir { get; }

    public static AgentConfig Config(string? initialManagement = Root, string? dataDir = null, bool persistence = false) =>
        AgentTestHost.DefaultConfig() with
        {
            DataDir = dataDir ?? "",
            Acl = new AclConfig
            {
                Enabled = true,
                DefaultPolicy = "deny",
                EnableTokenPersistence = persistence,
                Tokens = new AclTokensConfig { InitialManagement = initialManagement ?? "" },
            },
        };

    /// <summary>Starts the agent and waits until the leader has written the builtin ACL objects.</summary>
    public static async Task<AclApiHost> StartAsync(AgentConfig config)
    {
        var host = await AgentTestHost.StartAsync(config);
        var store = host.Service<StateStore>();
        await AgentTestHost.WaitUntil(() => Task.FromResult(
                store.Current.AclTokens.ContainsKey(AclBuiltins.AnonymousTokenId)
                && (config.Acl.Tokens.InitialManagement == "" || store.Current.AclSecrets.ContainsKey(config.Acl.Tokens.InitialManagement))),
            TimeSpan.FromSeconds(15), "ACL initialization");
        return new AclApiHost(host, config.DataDir == "" ? null : config.DataDir);
    }

    /// <summary>Runs <paramref name="test"/> with a fresh temporary data directory, removed afterwards.</summary>
    public static async Task WithDataDirAsync(Func<string, Task> test)
    {
        var dir = Path.Combine(Path.GetTempPath(), "consul-aclapi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await test(dir);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temp dir does not affect other tests.
            }
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    public Task<HttpResponseMessage> Send(HttpMethod method, string url, string? body = null, string? token = Root)
    {
        var req = new HttpRequestMessage(method, url);
        if (token is not null) req.Headers.Add("X-Consul-Token", token);
        if (body is not null) req.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        return Host.Client.SendAsync(req);
    }

    public Task<HttpResponseMessage> Get(string url, string? token = Root) => Send(HttpMethod.Get, url, null, token);
    public Task<HttpResponseMessage> Put(string url, string? body, string? token = Root) => Send(HttpMethod.Put, url, body, token);
    public Task<HttpResponseMessage> Delete(string url, string? token = Root) => Send(HttpMethod.Delete, url, null, token);

    /// <summary>Request that must answer 200; returns the parsed body.</summary>
    public async Task<JsonNode> Ok(HttpMethod method, string url, string? body = null, string? token = Root)
    {
        var r = await Send(method, url, body, token);
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.OK, $"{method} {url} -> {(int)r.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<JsonNode> GetOk(string url, string? token = Root) => Ok(HttpMethod.Get, url, null, token);
    public Task<JsonNode> PutOk(string url, string? body, string? token = Root) => Ok(HttpMethod.Put, url, body, token);

    /// <summary>Creates a policy and returns its ID.</summary>
    public async Task<string> CreatePolicy(string name, string rules) =>
        (string)(await PutOk("/v1/acl/policy", new JsonObject { ["Name"] = name, ["Rules"] = rules }.ToJsonString()))["ID"]!;

    /// <summary>Creates a token linked to the named policies; returns (AccessorID, SecretID).</summary>
    public async Task<(string Accessor, string Secret)> CreateToken(params string[] policyNames)
    {
        var links = new JsonArray(policyNames.Select(n => (JsonNode)new JsonObject { ["Name"] = n }).ToArray());
        var t = await PutOk("/v1/acl/token", new JsonObject { ["Policies"] = links }.ToJsonString());
        return ((string)t["AccessorID"]!, (string)t["SecretID"]!);
    }
}

/// <summary>One ACL-enabled agent shared by a test class; tests use unique names so they do not collide.</summary>
public sealed class AclApiFixture : IAsyncLifetime
{
    public AclApiHost Acl { get; private set; } = null!;

    public async Task InitializeAsync() => Acl = await AclApiHost.StartAsync(AclApiHost.Config());

    public Task DisposeAsync() => Acl.DisposeAsync().AsTask();
}
