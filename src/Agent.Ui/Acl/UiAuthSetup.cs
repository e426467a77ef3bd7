using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consul.Ui.Acl;

/// <summary>The cookie scheme that carries the UI's ACL token, and the logout endpoint.</summary>
public static class UiAuthSetup
{
    public const string LogoutPath = "/logout";

    public static IServiceCollection AddConsulUiAuthentication(this IServiceCollection services)
    {
        // Only the UI's branch uses it; the HTTP API keeps reading tokens from its own headers.
        services.AddAuthentication(o => o.DefaultAuthenticateScheme ??= UiAuth.Scheme)
            .AddCookie(UiAuth.Scheme, o =>
            {
                o.Cookie.Name = UiAuth.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.Cookie.IsEssential = true;
                o.LoginPath = "/login";
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events = new CookieAuthenticationEvents
                {
                    // Scope the cookie to the UI's base path so API requests never carry it.
                    OnSigningIn = ctx => { ctx.CookieOptions.Path = CookiePathOf(ctx.Request); return Task.CompletedTask; },
                    OnSigningOut = ctx => { ctx.CookieOptions.Path = CookiePathOf(ctx.Request); return Task.CompletedTask; },
                    OnValidatePrincipal = RejectDeletedTokens,
                };
            });
        return services;
    }

    public static void MapConsulUiLogout(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(LogoutPath, async (HttpContext ctx) =>
            {
                // UseAntiforgery only records the outcome; a plain endpoint must act on it.
                if (ctx.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
                    return Results.BadRequest("A valid antiforgery token was not provided with the request.");
                await ctx.SignOutAsync(UiAuth.Scheme);
                return Results.LocalRedirect(ctx.Request.PathBase + "/");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute());

    // "/ui" (not "/ui/"): a cookie path matches itself and everything below it.
    private static string CookiePathOf(HttpRequest request) =>
        request.PathBase.HasValue ? request.PathBase.Value!.TrimEnd('/') : "/";

    // A token deleted (or expired) since login signs the browser out on its next request,
    // as Consul's UI drops a token the API answers "ACL not found" for.
    private static async Task RejectDeletedTokens(CookieValidatePrincipalContext ctx)
    {
        var secret = UiAuth.SecretOf(ctx.Principal);
        if (secret is null) return;
        var checker = ctx.HttpContext.RequestServices.GetRequiredService<IUiTokenChecker>();
        if (!checker.AclsEnabled) return;
        var result = await checker.CheckAsync(secret, ctx.HttpContext.RequestAborted);
        if (result.Valid) return;
        ctx.RejectPrincipal();
        await ctx.HttpContext.SignOutAsync(UiAuth.Scheme);
    }
}
