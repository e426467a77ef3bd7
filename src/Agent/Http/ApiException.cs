namespace Consul.Agent.Http;

/// <summary>An HTTP error with Consul's status code and one-line plain-text message.</summary>
public sealed class ApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public static ApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, message);
    public static ApiException NotFound(string message) => new(StatusCodes.Status404NotFound, message);
    public static ApiException MethodNotAllowed(string method) => new(StatusCodes.Status405MethodNotAllowed, $"method {method} not allowed");
}
