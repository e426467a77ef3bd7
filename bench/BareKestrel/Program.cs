// The peer for the HTTP benchmark: a bare Kestrel endpoint serving JSON bodies shaped
// like the agent's KV and catalog answers, with no state store behind them.
using System.Text;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var kv = Encoding.UTF8.GetBytes("[{\"LockIndex\":0,\"Key\":\"bench/key\",\"Flags\":0,\"Value\":\"aGVsbG8gd29ybGQ=\",\"CreateIndex\":12,\"ModifyIndex\":12}]");
var catalog = Encoding.UTF8.GetBytes(File.Exists("catalog.json") ? File.ReadAllText("catalog.json") : "[]");
var health = Encoding.UTF8.GetBytes(File.Exists("health.json") ? File.ReadAllText("health.json") : "[]");

app.MapGet("/kv", async ctx =>
{
    ctx.Response.ContentType = "application/json";
    ctx.Response.Headers["X-Consul-Index"] = "12";
    await ctx.Response.Body.WriteAsync(kv);
});
app.MapGet("/catalog", async ctx =>
{
    ctx.Response.ContentType = "application/json";
    ctx.Response.Headers["X-Consul-Index"] = "12";
    await ctx.Response.Body.WriteAsync(catalog);
});
app.MapGet("/health", async ctx =>
{
    ctx.Response.ContentType = "application/json";
    ctx.Response.Headers["X-Consul-Index"] = "12";
    await ctx.Response.Body.WriteAsync(health);
});
app.Run();
