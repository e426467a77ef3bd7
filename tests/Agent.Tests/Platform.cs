// The tests drive Linux processes, sockets, signals and /proc; they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
