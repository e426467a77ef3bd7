namespace Consul.Tests.Federation;

/// <summary>The federation process tests share one pair of datacenters (fixed loopback addresses) and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class FederationCollection : ICollectionFixture<TwoDatacenters>
{
    public const string Name = "federation-processes";
}
