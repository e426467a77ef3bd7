namespace Consul.Core.Local;

/// <summary>A registration the agent refuses; NotFound distinguishes unknown IDs (HTTP 404) from bad input (400).</summary>
public sealed class RegistrationException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
