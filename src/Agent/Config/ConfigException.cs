namespace Consul.Agent.Config;

/// <summary>
/// Start-up configuration error. <see cref="Exception.Message"/> is the text Consul prints
/// (e.g. "failed to parse /etc/consul.d/x.json: 1 error occurred:\n\t* invalid config key foo").
/// </summary>
public sealed class ConfigException(string message) : Exception(message);
