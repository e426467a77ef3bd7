namespace Consul.Tests.Browser;

/// <summary>
/// Browser tests run one at a time: two Chromiums and two agents at once on a 2-core machine
/// make the "appears within 2 s" checks measure the machine, not the UI.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "Browser";
}
