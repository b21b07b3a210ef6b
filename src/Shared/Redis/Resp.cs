using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Shared.Redis;

internal enum RespKind
{
    SimpleString,
    Error,
    Integer,
    Bulk,
    Array,
    Null,
}

/// <summary>One RESP2 reply.</summary>
internal sealed record RespValue(RespKind Kind, byte[]? Bytes = null, long Integer = 0, RespValue[]? Items = null)
{
    public static readonly RespValue NullValue = new(RespKind.Null);

    public string? Text => Bytes is null ? null : Encoding.UTF8.GetString(Bytes);
}

/// <summary>The RESP2 wire format: commands as arrays of bulk strings, and a parser for replies arriving in pieces.</summary>
internal static class Resp
{
    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    /// <summary>Encodes a command: <c>*N\r\n</c> then each argument as <c>$len\r\nbytes\r\n</c>.</summary>
    public static byte[] Command(params object[] arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteHeader(buffer, (byte)'*', arguments.Length);
        foreach (var argument in arguments)
        {
            var bytes = argument switch
            {
                byte[] raw => raw,
                ReadOnlyMemory<byte> memory => memory.ToArray(),
                string text => Encoding.UTF8.GetBytes(text),
                long or int => Encoding.ASCII.GetBytes(Convert.ToString(argument, System.Globalization.CultureInfo.InvariantCulture)!),
                _ => throw new ArgumentException($"Cannot send a {argument.GetType().Name} to Redis."),
            };
            WriteHeader(buffer, (byte)'$', bytes.Length);
            buffer.Write(bytes);
            buffer.Write(CrLf);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteHeader(ArrayBufferWriter<byte> buffer, byte prefix, int length)
    {
        var span = buffer.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        buffer.Advance(3 + written);
    }

    /// <summary>Parses one whole reply from the front of <paramref name="buffer"/>, or returns false if more bytes are needed.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out RespValue value)
    {
        value = RespValue.NullValue;
        if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf))
        {
            return false;
        }
        switch ((char)prefix)
        {
            case '+':
                value = new RespValue(RespKind.SimpleString, line.ToArray());
                return true;
            case '-':
                value = new RespValue(RespKind.Error, line.ToArray());
                return true;
            case ':':
                value = new RespValue(RespKind.Integer, Integer: ParseInteger(line));
                return true;
            case '$':
                var length = ParseInteger(line);
                if (length < 0)
                {
                    return true;
                }
                if (reader.Remaining < length + 2)
                {
                    return false;
                }
                var bytes = new byte[length];
                reader.TryCopyTo(bytes);
                reader.Advance(length + 2);
                value = new RespValue(RespKind.Bulk, bytes);
                return true;
            case '*':
                var count = ParseInteger(line);
                if (count < 0)
                {
                    return true;
                }
                var items = new RespValue[count];
                for (var i = 0; i < count; i++)
                {
                    if (!TryRead(ref reader, out items[i]))
                    {
                        return false;
                    }
                }
                value = new RespValue(RespKind.Array, Items: items);
                return true;
            default:
                throw new RedisConnectionException($"Redis sent a reply starting with '{(char)prefix}', which is not RESP2.");
        }
    }

    private static long ParseInteger(ReadOnlySequence<byte> line)
    {
        Span<byte> digits = stackalloc byte[24];
        line.CopyTo(digits);
        return Utf8Parser.TryParse(digits[..(int)line.Length], out long number, out _)
            ? number
            : throw new RedisConnectionException("Redis sent a malformed length or integer.");
    }
}
