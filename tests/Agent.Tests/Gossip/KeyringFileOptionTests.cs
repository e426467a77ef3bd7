using Consul.Agent.Config;
using Consul.Agent.Hosting.Cluster;
using Consul.Core.Events;
using Consul.Core.Gossip.Security;
using Microsoft.Extensions.Logging.Abstractions;

namespace Consul.Tests.Gossip;

/// <summary>
/// disable_keyring_file: the agent's LAN and WAN keyrings start from -encrypt, change in memory
/// with install/use/remove, and are never written to serf/local.keyring or serf/remote.keyring.
/// Real pools on 127.0.1.71–73 (ports 8301/8302).
/// </summary>
public sealed class KeyringFileOptionTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "keyring-option-" + Guid.NewGuid().ToString("N"));
    private readonly string _k1 = Keyring.Generate();
    private readonly string _k2 = Keyring.Generate();

    private string LanFile => Path.Combine(_dataDir, "serf", "local.keyring");
    private string WanFile => Path.Combine(_dataDir, "serf", "remote.keyring");

    private GossipPools Start(string address, bool disableKeyringFile) => new(new AgentConfig
    {
        NodeName = "keyring-" + address.Replace('.', '-'),
        NodeId = Guid.NewGuid().ToString(),
        Datacenter = "dc1",
        Server = true,
        DataDir = _dataDir,
        Encrypt = _k1,
        DisableKeyringFile = disableKeyringFile,
        BindAddr = address,
        AdvertiseAddr = address,
        AdvertiseAddrWan = address,
    }, new EventStream(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Rotates k1 out for k2 in both pools, as `consul keyring -install/-use/-remove` does.</summary>
    private async Task RotateAsync(GossipPools pools)
    {
        foreach (var pool in new[] { pools.Lan, pools.Wan! })
        {
            Assert.Equal(0, (await pool.InstallKeyAsync(_k2)).NumErr);
            Assert.Equal(0, (await pool.UseKeyAsync(_k2)).NumErr);
            Assert.Equal(0, (await pool.RemoveKeyAsync(_k1)).NumErr);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task With_the_option_keys_change_in_memory_and_no_keyring_file_is_written()
    {
        await using (var pools = Start("127.0.1.71", disableKeyringFile: true))
        {
            await RotateAsync(pools);

            foreach (var pool in new[] { pools.Lan, pools.Wan! })
            {
                var list = await pool.ListKeysAsync();
                Assert.Equal([_k2], list.Keys.Keys.ToArray());
                Assert.Equal(_k2, list.PrimaryKey);
            }
            Assert.False(File.Exists(LanFile));
            Assert.False(File.Exists(WanFile));
        }

        // A restart knows only -encrypt again: the rotation lived in memory.
        await using var restarted = Start("127.0.1.73", disableKeyringFile: true);
        Assert.Equal([_k1], restarted.Lan.Keyring.Keys.Select(Convert.ToBase64String).ToArray());
        Assert.Equal([_k1], restarted.Wan!.Keyring.Keys.Select(Convert.ToBase64String).ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task Without_the_option_both_keyrings_are_saved_in_the_data_dir()
    {
        await using var pools = Start("127.0.1.72", disableKeyringFile: false);
        await RotateAsync(pools);

        Assert.Equal(_k2, Convert.ToBase64String(KeyringFile.Load(LanFile)!.PrimaryKey!));
        Assert.Equal(_k2, Convert.ToBase64String(KeyringFile.Load(WanFile)!.PrimaryKey!));
    }

    [Fact(Timeout = 30_000)]
    public async Task With_the_option_a_keyring_file_already_there_is_ignored()
    {
        // A file from an earlier run without the option (holding k2) must not override -encrypt (k1).
        KeyringFile.Save(LanFile, new Keyring([Keyring.DecodeKey(_k2)]));
        await using var pools = Start("127.0.1.72", disableKeyringFile: true);
        Assert.Equal([_k1], pools.Lan.Keyring.Keys.Select(Convert.ToBase64String).ToArray());
    }

    [Fact]
    public void Memory_only_keyring_is_never_saved()
    {
        var path = Path.Combine(_dataDir, "serf", "local.keyring");
        KeyringFile.Save(path, new Keyring([Keyring.DecodeKey(_k1)]) { MemoryOnly = true });
        Assert.False(File.Exists(path));
        KeyringFile.Save(path, new Keyring([Keyring.DecodeKey(_k1)]));
        Assert.True(File.Exists(path));
    }

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
