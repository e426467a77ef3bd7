using Consul.Core.Acl;
using Consul.Core.Local;

namespace Consul.Agent.Http;

/// <summary>
/// Turns failures into Consul's plain-text error responses: 4xx for bad input with a
/// one-line message, 405 with Consul's wording, 413 for oversized bodies. Nothing a
/// client sends may crash the agent or produce an unexplained 500.
/// </summary>
public sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext ctx)
    {
        try
        {
            await next(ctx);
            if (ctx.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !ctx.Response.HasStarted)
                await ApiResponses.WriteText(ctx, 405, $"method {ctx.Request.Method} not allowed");
        }
        catch (ApiException e) when (!ctx.Response.HasStarted)
        {
            if (e.Status == 499) return; // client went away mid-block
            await ApiResponses.WriteText(ctx, e.Status, e.Message);
        }
        catch (PermissionDeniedException e) when (!ctx.Response.HasStarted)
        {
            await ApiResponses.WriteText(ctx, StatusCodes.Status403Forbidden, e.Message);
        }
        catch (RegistrationException e) when (!ctx.Response.HasStarted)
        {
            await ApiResponses.WriteText(ctx, e.NotFound ? 404 : 400, e.Message);
        }
        catch (BadHttpRequestException e) when (!ctx.Response.HasStarted)
        {
            await ApiResponses.WriteText(ctx, e.StatusCode, e.Message);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // Client disconnected; nothing to answer.
        }
        catch (Exception e) when (!ctx.Response.HasStarted)
        {
            logger.LogError(e, "Request error: method={Method} url={Path}", ctx.Request.Method, ctx.Request.Path);
            await ApiResponses.WriteText(ctx, 500, e.Message);
        }
    }
}
