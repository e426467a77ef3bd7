namespace Consul.Agent.Hosting;

/// <summary>The agent's -pid-file: written once listening, removed on exit.</summary>
public static class PidFile
{
    public static void Write(string path)
    {
        if (string.IsNullOrEmpty(path)) return;
        File.WriteAllText(path, Environment.ProcessId.ToString());
    }

    public static void Delete(string path)
    {
        if (string.IsNullOrEmpty(path)) return;
        try { File.Delete(path); } catch (IOException) { }
    }
}
