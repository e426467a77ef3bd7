using System.Text.Json;

namespace Consul.Core.State;

/// <summary>Commands to and from the bytes stored in the log.</summary>
public static class CommandCodec
{
    public static byte[] Encode(StateCommand command) =>
        JsonSerializer.SerializeToUtf8Bytes(command, CommandJsonContext.Default.StateCommand);

    public static StateCommand Decode(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize(bytes, CommandJsonContext.Default.StateCommand)
        ?? throw new InvalidDataException("empty command");
}
