using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// Saves a <see cref="StateDict"/> as safetensors: all tensors F32, in state-dict order, the JSON
/// header padded with spaces to a multiple of 8 bytes (as the reference implementation does).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="sd"/> to <paramref name="path"/> via a temporary file (no partial output on failure).</summary>
    public static void Write(string path, StateDict sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        AtomicFile.Write(path, s => Write(s, sd));
    }

    internal static void Write(Stream output, StateDict sd)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors files are written from little-endian hosts only");
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            json.WriteString("format", "pt");
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, tensor) in sd)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in tensor.ShapeSpan) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.ElementCount * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        output.Write(length);
        header.Position = 0;
        header.CopyTo(output);
        foreach (var (_, tensor) in sd) output.Write(MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
    }
}
