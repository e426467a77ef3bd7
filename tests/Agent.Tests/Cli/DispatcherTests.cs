namespace Consul.Tests.Cli;

public sealed class DispatcherTests
{
    private static Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(null, args);

    [Fact(Timeout = 20000)]
    public async Task No_arguments_prints_command_list_to_stderr_and_exits_127()
    {
        var r = await Run();

        Assert.Equal(127, r.Code);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("Usage: consul [--version] [--help] <command> [<args>]\n\nAvailable commands are:\n", r.Stderr);
        Assert.Contains("\n    agent          Runs a Consul agent\n", r.Stderr);
        Assert.Contains("\n    force-leave    Forces a member of the cluster to enter the \"left\" state\n", r.Stderr);
        Assert.Contains("\n    kv             Interact with the key-value store\n", r.Stderr);
        Assert.DoesNotContain("kv put", r.Stderr);
        Assert.Contains("\n    version        Prints the Consul version\n", r.Stderr);
        // Sorted by name, so `watch` comes last.
        Assert.EndsWith("Watch for changes in Consul\n\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Help_flag_prints_command_list_to_stdout()
    {
        var r = await Run("--help");

        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Stderr);
        Assert.StartsWith("Usage: consul [--version] [--help] <command> [<args>]\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_command_exits_127()
    {
        var r = await Run("bogus", "x");

        Assert.Equal(127, r.Code);
        Assert.StartsWith("Usage: consul [--version]", r.Stderr);
    }

    [Theory(Timeout = 20000)]
    [InlineData("version")]
    [InlineData("-v")]
    [InlineData("--version")]
    [InlineData("-version")]
    public async Task Version_forms_print_the_version_block(string arg)
    {
        var r = await Run(arg);

        Assert.Equal(0, r.Code);
        var lines = r.Stdout.Split('\n');
        Assert.Equal("Consul v1.21.0", lines[0]);
        Assert.Matches(@"^Build Date \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", lines[1]);
        Assert.Equal("Protocol 2 spoken by default, understands 2 to 3 (agent will automatically use protocol >2 when speaking to compatible agents)", lines[2]);
        Assert.Equal(["", ""], lines[3..]);
    }

    [Fact(Timeout = 20000)]
    public async Task Version_json_format()
    {
        var r = await Run("version", "-format=json");

        Assert.Equal(0, r.Code);
        Assert.StartsWith("{\n   \"Version\": \"1.21.0\",\n   \"Revision\": \"\",\n   \"Prerelease\": \"\",\n   \"BuildDate\": \"", r.Stdout);
        Assert.EndsWith("\",\n   \"RPC\": {\n      \"Default\": 2,\n      \"Min\": 2,\n      \"Max\": 3\n   }\n}\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Parent_command_prints_help_with_subcommands_and_exits_1()
    {
        var r = await Run("kv");

        Assert.Equal(1, r.Code);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("Usage: consul kv <subcommand> [options] [args]\n\n  This command has subcommands", r.Stderr);
        Assert.EndsWith(
            "For more examples, ask for subcommand help or view the documentation.\n\n" +
            "Subcommands:\n" +
            "    delete    Removes data from the KV store\n" +
            "    export    Exports a tree from the KV store as JSON\n" +
            "    get       Retrieves or lists data from the KV store\n" +
            "    import    Imports a tree stored as JSON to the KV store\n" +
            "    put       Sets or updates data in the KV store\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Nested_parent_lists_its_own_children()
    {
        var r = await Run("operator", "raft");

        Assert.Equal(1, r.Code);
        Assert.EndsWith("Subcommands:\n" +
                        "    list-peers         Display the current Raft peer configuration\n" +
                        "    remove-peer        Remove a Consul server from the Raft configuration\n" +
                        "    transfer-leader    Transfer raft leadership to another node\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Subcommand_help_goes_to_stdout_in_consul_layout()
    {
        var r = await Run("kv", "delete", "-h");

        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Stderr);
        Assert.StartsWith("Usage: consul kv delete [options] KEY_OR_PREFIX\n\n  Removes the value", r.Stdout);
        Assert.Contains(
            "HTTP API Options\n\n" +
            "  -ca-file=<value>\n" +
            "     Path to a CA file to use for TLS when communicating with Consul.\n" +
            "     This can also be specified via the CONSUL_CACERT environment\n" +
            "     variable.\n\n", r.Stdout);
        Assert.Contains(
            "  -http-addr=<address>\n" +
            "     The `address` and port of the Consul HTTP agent. The value can be\n", r.Stdout);
        Assert.Contains("  -stale\n     Permit any Consul server", r.Stdout);
        Assert.Contains(
            "Command Options\n\n" +
            "  -cas\n" +
            "     Perform a Check-And-Set operation. Specifying this value also\n" +
            "     requires the -modify-index flag to be set. The default value is\n" +
            "     false.\n\n" +
            "  -modify-index=<uint>\n" +
            "     Unsigned integer representing the ModifyIndex of the key. This is\n" +
            "     used in combination with the -cas flag.\n\n" +
            "  -namespace=<default>\n", r.Stdout);
        Assert.EndsWith(
            "  -recurse\n" +
            "     Recursively delete all keys with the path. The default value is\n" +
            "     false.\n", r.Stdout);
    }

    [Fact(Timeout = 20000)]
    public async Task Flags_before_the_subcommand_are_rejected()
    {
        var r = await Run("-detailed", "members");

        Assert.Equal(1, r.Code);
        Assert.StartsWith("Invalid flags before the subcommand. If these flags are for\n" +
                          "the subcommand, please put them after the subcommand.\n\n" +
                          "Usage: consul members [options]\n", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Unknown_flag_prints_go_error_and_defaults()
    {
        var r = await Run("reload", "-bogus");

        Assert.Equal(1, r.Code);
        Assert.Equal("", r.Stdout);
        Assert.StartsWith("flag provided but not defined: -bogus\nUsage:\n  -ca-file value\n    \tPath to a CA file", r.Stderr);
        Assert.Contains("  -http-addr address\n    \tThe address and port of the Consul HTTP agent.", r.Stderr);
    }

    [Fact(Timeout = 20000)]
    public async Task Go_flag_defaults_show_non_zero_defaults()
    {
        var r = await Run("members", "-nope");

        Assert.Contains("  -status string\n    \tIf provided, output is filtered to only nodes matching the regular expression for status. (default \".*\")\n", r.Stderr);
        Assert.Contains("  -detailed\n    \tProvides detailed information about nodes.\n", r.Stderr);
    }

    [Theory(Timeout = 20000)]
    [InlineData(new[] { "kv", "put", "-flags=abc", "k" }, "invalid value \"abc\" for flag -flags: parse error\n")]
    [InlineData(new[] { "kv", "put", "-flags" }, "flag needs an argument: -flags\n")]
    [InlineData(new[] { "kv", "get", "-detailed=maybe", "k" }, "invalid boolean value \"maybe\" for -detailed: parse error\n")]
    [InlineData(new[] { "kv", "get", "---x" }, "bad flag syntax: ---x\n")]
    [InlineData(new[] { "kv", "put", "-flags=99999999999999999999", "k" }, "invalid value \"99999999999999999999\" for flag -flags: value out of range\n")]
    public async Task Flag_value_errors(string[] args, string firstLine)
    {
        var r = await Run(args);

        Assert.Equal(1, r.Code);
        Assert.StartsWith(firstLine + "Usage:\n", r.Stderr);
    }
}
