using System.Text.Json;
using Consul.Core.Filter;

namespace Consul.Tests.Filter;

public class FilterTests
{
    private static readonly JsonElement Web = JsonDocument.Parse("""
        {"ID":"web1","Service":"web","Tags":["v1","primary"],"Port":8080,"EnableTagOverride":false,
         "Meta":{"env":"prod","team":"core"},"Address":"",
         "Checks":[{"CheckID":"serfHealth","Status":"passing"},{"CheckID":"web-http","Status":"critical"}]}
        """).RootElement;

    [Theory]
    [InlineData("Service == web", true)]
    [InlineData("Service == \"web\"", true)]
    [InlineData("Service != web", false)]
    [InlineData("Port == 8080", true)]
    [InlineData("Port == 80", false)]
    [InlineData("EnableTagOverride == false", true)]
    [InlineData("v1 in Tags", true)]
    [InlineData("\"v2\" in Tags", false)]
    [InlineData("\"v2\" not in Tags", true)]
    [InlineData("Tags contains primary", true)]
    [InlineData("Tags not contains primary", false)]
    [InlineData("Meta.env == prod", true)]
    [InlineData("Meta[\"team\"] == core", true)]
    [InlineData("env in Meta", true)]
    [InlineData("Meta.missing == x", false)]
    [InlineData("Address is empty", true)]
    [InlineData("Address is not empty", false)]
    [InlineData("Tags is not empty", true)]
    [InlineData("Service matches \"^w.b$\"", true)]
    [InlineData("Service not matches \"^api\"", true)]
    [InlineData("Checks.Status == critical", true)]
    [InlineData("Checks.CheckID == missing", false)]
    [InlineData("Service == web and Port == 8080", true)]
    [InlineData("Service == api or Port == 8080", true)]
    [InlineData("not (Service == web)", false)]
    [InlineData("not Service == api and (v1 in Tags or Port == 1)", true)]
    [InlineData("ID contains eb", true)]
    public void Evaluates(string expression, bool expected) =>
        Assert.Equal(expected, FilterEvaluator.Create(expression).Matches(Web));

    [Theory]
    [InlineData("Service ==")]
    [InlineData("== web")]
    [InlineData("Service = web")]
    [InlineData("(Service == web")]
    [InlineData("Service == \"web")]
    [InlineData("Service is full")]
    [InlineData("Service matches \"[\"")]
    [InlineData("Service == web garbage")]
    public void RejectsBadExpressions(string expression)
    {
        var e = Assert.Throws<FilterException>(() => FilterEvaluator.Create(expression));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
