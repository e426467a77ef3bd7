namespace Consul.Agent;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("consul: skeleton");
        return 0;
    }
}
