using System.Net;
using Consul.Agent.Acl;
using Consul.Agent.Config;
using Consul.Agent.Coordinates;
using Consul.Agent.Hosting.Cluster;
using Consul.Agent.Http;
using Consul.Core.Checks;
using Consul.Core.Cluster;
using Consul.Core.Events;
using Consul.Core.Local;
using Consul.Core.State;
using Consul.Core.Telemetry;
using Consul.Ui;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging.Console;

namespace Consul.Agent.Hosting;

/// <summary>Builds the agent: one Kestrel host serving the API (and UI), with the core services wired in.</summary>
public static class AgentHost
{
    public static WebApplication Build(AgentConfig config, Action<WebApplicationBuilder>? customize = null)
    {
        config = WithAddressDefaults(config);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(AgentHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseStaticWebAssets();
        ConfigureLogging(builder, config);
        ConfigureKestrel(builder, config);
        AddAgentServices(builder.Services, config);
        if (config.UiEnabled)
        {
            // The UI filters with the API's ACL gate; registered first, it takes the place of the UI's allow-all default.
            builder.Services.AddSingleton<Consul.Ui.Acl.IUiTokenChecker, UiTokenChecker>();
            builder.Services.AddConsulUi();
            // The login cookie is encrypted with data-protection keys; keep them in the data dir so
            // a restarted agent still accepts the cookies it issued (dev agents keep nothing).
            if (!config.Dev && !string.IsNullOrEmpty(config.DataDir))
                builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(config.DataDir, "ui-keys")));
        }
        customize?.Invoke(builder);

        var app = builder.Build();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<HttpConfigPolicy>();
        MapApi(app, config);
        if (config.UiEnabled) app.MapConsulUi(UiBasePath(config));
        else if (config.UiDir.Length > 0) CustomUiDir.Map(app, config.UiDir, UiBasePath(config));
        if (ClusterMode.Of(config) == ClusterRole.Server) ServerPort.Map(app, config);
        // Runs before any endpoint: requests for another datacenter never reach the local handlers.
        app.UseMiddleware<DatacenterForwarding>();
        return app;
    }

    /// <summary>
    /// A config built in code (tests, tools) may leave addresses empty; the loader fills them
    /// from bind and client. Same rules here: advertise falls back to bind, then loopback.
    /// </summary>
    public static AgentConfig WithAddressDefaults(AgentConfig c)
    {
        var bind = string.IsNullOrEmpty(c.BindAddr) || c.BindAddr == "0.0.0.0" ? "127.0.0.1" : c.BindAddr;
        var advertise = string.IsNullOrEmpty(c.AdvertiseAddr) ? bind : c.AdvertiseAddr;
        return c with
        {
            AdvertiseAddr = advertise,
            AdvertiseAddrWan = string.IsNullOrEmpty(c.AdvertiseAddrWan) ? advertise : c.AdvertiseAddrWan,
            ClientAddrs = c.ClientAddrs.Count > 0 ? c.ClientAddrs : [string.IsNullOrEmpty(c.ClientAddr) ? "127.0.0.1" : c.ClientAddr],
            NodeName = string.IsNullOrEmpty(c.NodeName) ? Environment.MachineName : c.NodeName,
            NodeId = string.IsNullOrEmpty(c.NodeId) ? Guid.NewGuid().ToString() : c.NodeId,
        };
    }

    private static void ConfigureLogging(WebApplicationBuilder builder, AgentConfig config)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = config.LogJson ? HclogJsonFormatter.Name : HclogFormatter.Name)
            .AddConsoleFormatter<HclogFormatter, ConsoleFormatterOptions>()
            .AddConsoleFormatter<HclogJsonFormatter, ConsoleFormatterOptions>();
        builder.Logging.SetMinimumLevel(LogLevel.Trace);
        // The console shows the configured level; /v1/agent/monitor may ask for more detail.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevelOf(config.LogLevel));
        if (config.LogFile.Length > 0)
        {
            // Opened now so a bad path stops the agent at start.
            AddSink(FileLoggerProvider.Open(config, TimeProvider.System));
        }
        if (config.EnableSyslog)
        {
            var syslog = SyslogLoggerProvider.Connect(SyslogLoggerProvider.LocalSockets, config.SyslogFacility, config.LogJson, TimeProvider.System);
            if (syslog is null)
            {
                // No logger exists yet: the warning goes straight to the console, in the log's format.
                var text = $"Syslog setup failed: no local syslog socket at {string.Join(", ", SyslogLoggerProvider.LocalSockets)}; continuing without syslog";
                var now = TimeProvider.System.GetLocalNow();
                Console.WriteLine(config.LogJson
                    ? HclogJsonFormatter.Format(now, LogLevel.Warning, "agent", text, null, [])
                    : HclogFormatter.Format(now, LogLevel.Warning, "agent", text, null));
            }
            else AddSink(syslog);
        }
        var broadcaster = new LogBroadcaster();
        builder.Logging.AddProvider(broadcaster);
        builder.Services.AddSingleton(broadcaster);
        // Framework chatter only at warning and above, as Consul's log has none of it.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter<LogBroadcaster>("Microsoft", LogLevel.Warning);

        // A log file or syslog: the configured level, framework chatter only from warnings; the
        // container owns (and disposes) the provider.
        void AddSink<TProvider>(TProvider provider) where TProvider : class, ILoggerProvider
        {
            builder.Services.AddSingleton<ILoggerProvider>(_ => provider);
            builder.Logging.AddFilter<TProvider>(null, LogLevelOf(config.LogLevel));
            builder.Logging.AddFilter<TProvider>("Microsoft", LogLevel.Warning);
        }
    }

    public static LogLevel LogLevelOf(string level) => level.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "err" or "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };

    private static void ConfigureKestrel(WebApplicationBuilder builder, AgentConfig config)
    {
        var https = Tls.KestrelTls.LoadHttps(config); // bad TLS files stop the agent here, at start
        builder.WebHost.ConfigureKestrel(k =>
        {
            var perClient = new ClientConnectionLimit(config.Limits.HttpMaxConnsPerClient, "limits.http_max_conns_per_client",
                k.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("agent.http"));
            if (https is not null) Tls.KestrelTls.ListenHttps(k, config, https, perClient.Middleware());
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
            // http_config.max_header_bytes: Go's MaxHeaderBytes counts the request line and the
            // headers, and defaults to 1 MiB (Kestrel's own limits are 8 KiB and 32 KiB).
            var headerBytes = config.Http.MaxHeaderBytes > 0 ? config.Http.MaxHeaderBytes : 1 << 20;
            k.Limits.MaxRequestHeadersTotalSize = headerBytes;
            k.Limits.MaxRequestLineSize = headerBytes;
            if (ClusterMode.Of(config) == ClusterRole.Server)
            {
                // Requests other datacenters forward here run on this private socket (LocalHttpExecutor),
                // whatever the public HTTP/HTTPS listeners are. A file left by an earlier run is stale.
                var socket = LocalHttpExecutor.SocketPath(config);
                Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
                File.Delete(socket);
                k.ListenUnixSocket(socket);
            }
            if (config.Ports.Http < 0) return;
            var addrs = config.Addresses.Http is { Length: > 0 } h ? h.Split(' ', StringSplitOptions.RemoveEmptyEntries) : config.ClientAddrs.ToArray();
            foreach (var addr in addrs)
                k.Listen(IPAddress.Parse(addr), config.Ports.Http, l => l.Use(perClient.Middleware(answer429: true)));
        });
        if (ClusterMode.Of(config) == ClusterRole.Server) ServerPort.Configure(builder, config);
    }

    public static void AddAgentServices(IServiceCollection services, AgentConfig config)
    {
        var time = TimeProvider.System;
        var events = new EventStream(time);
        var store = new StateStore();
        var fsm = new StateMachine(store, events, time);
        var serverAddress = $"{config.AdvertiseAddr}:{config.Ports.Server}";
        var identity = new AgentIdentity
        {
            NodeName = config.NodeName,
            NodeId = config.NodeId,
            Datacenter = config.Datacenter,
            Address = config.AdvertiseAddr,
            AddressWan = config.AdvertiseAddrWan,
            NodeMeta = new Dictionary<string, string>(config.NodeMeta) { ["consul-network-segment"] = "", ["consul-version"] = AgentVersion.Version },
        };
        var local = new LocalState(identity, time, new LocalStateOptions { CheckUpdateInterval = config.CheckUpdateInterval });
        var self = new MemberInfo
        {
            Name = config.NodeName,
            Addr = config.AdvertiseAddr,
            Port = config.Ports.SerfLan,
            Status = MemberInfo.StatusAlive,
            Tags = MemberTags(config),
        };

        services.AddSingleton(config);
        services.AddSingleton(time);
        services.AddSingleton(events);
        services.AddSingleton(store);
        services.AddSingleton(fsm);
        services.AddSingleton(local);
        if (ClusterMode.Of(config) == ClusterRole.Lone)
        {
            var log = new InMemoryCommandLog(fsm, serverAddress);
            services.AddSingleton<ICommandLog>(log);
            services.AddSingleton<IClusterView>(new SingleServerView(self, serverAddress, config.NodeId, () => log.LastIndex));
            services.AddSingleton<IClusterControl>(sp => new SingleServerControl(sp.GetRequiredService<IClusterView>(), config.Server, config.Datacenter));
        }
        else
        {
            ClusterServices.Add(services, config, store, fsm, events, time);
        }
        var tokens = TokenPersistence.Attach(new AgentTokens(config.Acl.Tokens), config);
        services.AddSingleton(tokens);
        services.AddSingleton(new AclGate(config, store, time, tokens));
        services.AddSingleton(new AgentMetrics());
        services.AddSingleton(new UserEventStore(events));
        services.AddSingleton(sp => new CheckManager(local, new CheckManagerOptions
        {
            EnableScriptChecks = config.EnableScriptChecks,
            EnableLocalScriptChecks = config.EnableLocalScriptChecks,
            OutputMaxSize = config.CheckOutputMaxSize,
            NodeName = config.NodeName,
        }, time, sp.GetRequiredService<ILoggerFactory>(), new LocalAliasSource(local, store)));
        services.AddSingleton(sp => new AgentRegistrar(local, sp.GetRequiredService<CheckManager>(), time));
        services.AddSingleton(sp => new AntiEntropy(local, store, sp.GetRequiredService<ICommandLog>(), time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("agent.anti_entropy")));
        services.AddSingleton(sp => new SessionTimers(sp.GetRequiredService<ICommandLog>(), store, time, sp.GetRequiredService<ILoggerFactory>().CreateLogger("agent.server.session")));
        services.AddSingleton<ConfigRegistrations>();
        services.AddSingleton<AgentRuntime>();
        services.AddSingleton(new RpcRateLimiter(config.Limits));
        services.AddSingleton<IAgentControl>(sp => sp.GetRequiredService<AgentRuntime>());
        services.AddSingleton(sp => new ApiContext
        {
            Config = config,
            Store = store,
            Log = sp.GetRequiredService<ICommandLog>(),
            Local = local,
            Cluster = sp.GetRequiredService<IClusterView>(),
            ClusterControl = sp.GetRequiredService<IClusterControl>(),
            Events = events,
            Metrics = sp.GetRequiredService<AgentMetrics>(),
            Control = sp.GetRequiredService<IAgentControl>(),
            SessionTimers = sp.GetRequiredService<SessionTimers>(),
            LockDelays = fsm.LockDelays,
            UserEvents = sp.GetRequiredService<UserEventStore>(),
            BroadcastUserEvent = ClusterMode.Of(config) == ClusterRole.Lone ? null : sp.GetRequiredService<GossipPools>().Broadcast,
            Time = time,
            Acl = sp.GetRequiredService<AclGate>(),
            Coordinates = sp.GetRequiredService<INetworkCoordinates>(),
        });
        services.AddSingleton<INetworkCoordinates>(sp => ClusterMode.Of(config) == ClusterRole.Lone
            ? new LoneCoordinates(config)
            : new GossipCoordinates(sp.GetRequiredService<GossipPools>(), config));
        services.AddHostedService<CoordinateSync>();
        services.AddHostedService<AgentLifecycle>();
        services.AddHostedService<DnsService>();
        services.AddHostedService<ConfigWatches>();
    }

    /// <summary>The serf tags a Consul agent advertises.</summary>
    public static Dictionary<string, string> MemberTags(AgentConfig c)
    {
        var tags = new Dictionary<string, string>
        {
            ["build"] = $"{AgentVersion.Version}:{AgentVersion.Revision}",
            ["dc"] = c.Datacenter,
            ["id"] = c.NodeId,
            ["role"] = c.Server ? "consul" : "node",
            ["segment"] = "",
            ["vsn"] = "2",
            ["vsn_max"] = "3",
            ["vsn_min"] = "2",
        };
        if (c.Server)
        {
            tags["port"] = c.Ports.Server.ToString();
            tags["raft_vsn"] = "3";
            tags["wan_join_port"] = c.Ports.SerfWan.ToString();
            // Consul's ACL mode tag: "1" enabled, "0" disabled.
            tags["acls"] = c.Acl.Enabled ? "1" : "0";
            tags["ft_fs"] = "1";
            tags["ft_si"] = "1";
            if (c.Bootstrap) tags["bootstrap"] = "1";
            if (c.BootstrapExpect > 0) tags["expect"] = c.BootstrapExpect.ToString();
        }
        return tags;
    }

    /// <summary>ui_config.content_path without its trailing slash ("/ui/" → "/ui").</summary>
    public static string UiBasePath(AgentConfig c) =>
        string.IsNullOrEmpty(c.UiContentPath) || c.UiContentPath == "/" ? "/ui" : "/" + c.UiContentPath.Trim('/');

    private static void MapApi(WebApplication app, AgentConfig config)
    {
        app.MapKvEndpoints();
        app.MapCatalogEndpoints();
        app.MapHealthEndpoints();
        app.MapStatusEndpoints();
        app.MapAgentServiceEndpoints();
        app.MapAgentInfoEndpoints();
        app.MapSessionEndpoints();
        app.MapTxnEndpoints();
        app.MapEventEndpoints();
        app.MapClusterEndpoints();
        app.MapOperatorEndpoints();
        app.MapAclEndpoints();
        app.MapPreparedQueryEndpoints();
        app.MapCoordinateEndpoints();
        app.MapAgentMonitorEndpoint();
        // Consul's index: the UI when enabled, else a plain marker.
        app.MapGet("/", (HttpContext ctx) => config.UiEnabled || config.UiDir.Length > 0
            ? Results.Redirect(UiBasePath(config) + "/", permanent: true)
            : Results.Text("Consul Agent"));
    }
}
