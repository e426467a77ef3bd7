namespace Consul.Core.Rpc;

/// <summary>Byte frames of the ForwardHttp RPC: length-prefixed UTF-8 strings and byte blocks, in field order.</summary>
public static class ForwardedHttpCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ForwardedHttpRequest r)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            w.Write(Version);
            w.Write(r.Datacenter);
            w.Write(r.Forwarded);
            w.Write(r.Method);
            w.Write(r.PathAndQuery);
            WriteHeaders(w, r.Headers);
            WriteBytes(w, r.Body);
        }
        return buffer.ToArray();
    }

    public static ForwardedHttpRequest DecodeRequest(byte[] frame)
    {
        using var r = Reader(frame);
        try
        {
            return new ForwardedHttpRequest
            {
                Datacenter = r.ReadString(),
                Forwarded = r.ReadBoolean(),
                Method = r.ReadString(),
                PathAndQuery = r.ReadString(),
                Headers = ReadHeaders(r),
                Body = ReadBytes(r),
            };
        }
        catch (EndOfStreamException) { throw Truncated(); }
    }

    public static byte[] Encode(ForwardedHttpResponse r)
    {
        using var buffer = new MemoryStream();
        using (var w = new BinaryWriter(buffer))
        {
            w.Write(Version);
            w.Write(r.Status);
            WriteHeaders(w, r.Headers);
            WriteBytes(w, r.Body);
        }
        return buffer.ToArray();
    }

    public static ForwardedHttpResponse DecodeResponse(byte[] frame)
    {
        using var r = Reader(frame);
        try
        {
            return new ForwardedHttpResponse { Status = r.ReadInt32(), Headers = ReadHeaders(r), Body = ReadBytes(r) };
        }
        catch (EndOfStreamException) { throw Truncated(); }
    }

    private static InvalidDataException Truncated() => new("truncated ForwardHttp frame");

    private static BinaryReader Reader(byte[] frame)
    {
        var r = new BinaryReader(new MemoryStream(frame, writable: false));
        try
        {
            if (r.ReadByte() != Version) throw new InvalidDataException("unknown ForwardHttp frame version");
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("empty ForwardHttp frame");
        }
        return r;
    }

    private static void WriteHeaders(BinaryWriter w, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        w.Write(headers.Count);
        foreach (var (name, value) in headers)
        {
            w.Write(name);
            w.Write(value);
        }
    }

    private static List<KeyValuePair<string, string>> ReadHeaders(BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > 1024) throw new InvalidDataException("bad header count in ForwardHttp frame");
        var headers = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++) headers.Add(new(r.ReadString(), r.ReadString()));
        return headers;
    }

    private static void WriteBytes(BinaryWriter w, byte[] bytes)
    {
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static byte[] ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0 || length > r.BaseStream.Length - r.BaseStream.Position) throw new InvalidDataException("bad body length in ForwardHttp frame");
        return r.ReadBytes(length);
    }
}
