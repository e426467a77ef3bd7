using System.Text.Json.Nodes;
using static Consul.Tests.Federation.TwoDatacenters;

namespace Consul.Tests.Federation;

/// <summary>
/// Session renew and destroy on a client agent (which answers from its replica of the state)
/// for sessions created through the server a moment earlier: both first wait for the leader's
/// read point, as Consul runs them on the leader, so the session is found and its ACL check
/// is not skipped.
/// </summary>
[Collection(FederationCollection.Name)]
public sealed class ClientAgentSessionTests(TwoDatacenters dcs)
{
    [Fact(Timeout = 120_000)]
    public async Task A_session_created_through_the_server_renews_and_is_destroyed_at_once_on_the_client()
    {
        for (var i = 0; i < 20; i++)
        {
            var (status, body) = await dcs.PutAsync(Dc1Server, "/v1/session/create", """{"TTL":"30s"}""");
            Assert.True(status == 200, $"create: {status} {body}");
            var id = (string)JsonNode.Parse(body)!["ID"]!;

            var (renewed, renewBody) = await dcs.PutAsync(Dc1Client, $"/v1/session/renew/{id}", "");
            Assert.True(renewed == 200, $"renew {i} on the client: {renewed} {renewBody}");
            Assert.Equal(id, (string)JsonNode.Parse(renewBody)!.AsArray()[0]!["ID"]!);

            var (destroyed, destroyBody) = await dcs.PutAsync(Dc1Client, $"/v1/session/destroy/{id}", "");
            Assert.Equal((200, "true"), (destroyed, destroyBody.Trim()));
        }
    }
}
