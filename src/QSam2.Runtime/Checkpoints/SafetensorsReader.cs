using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// Reads a safetensors file: an 8-byte little-endian header length, a JSON header
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>,
/// then the tensor bytes. Only F32 tensors are accepted; tensor order follows the header.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>Headers beyond this are refused before being read (the reference implementation caps them at 100 MB).</summary>
    internal const long MaxHeaderBytes = 100_000_000;

    public static StateDict Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(path, stream);
    }

    internal static StateDict Read(string path, Stream stream)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        if (stream.Length < 8) throw new CheckpointFormatException(path, $"safetensors file is {stream.Length} bytes, shorter than its 8-byte header length");
        stream.Position = 0;
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > stream.Length - 8)
            throw new CheckpointFormatException(path, $"safetensors header length {headerLength} exceeds the file ({stream.Length} bytes; truncated?)");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataStart = 8 + (long)headerLength;
        long dataLength = stream.Length - dataStart;

        var specs = ParseHeader(path, header);
        CheckLayout(path, specs, dataLength);

        var tensors = new List<KeyValuePair<string, TensorData>>(specs.Count);
        foreach (var s in specs)
        {
            var data = new float[s.Count];
            stream.Position = dataStart + s.Begin;
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (!BitConverter.IsLittleEndian)
            {
                var words = MemoryMarshal.Cast<float, uint>(data.AsSpan());
                BinaryPrimitives.ReverseEndianness(words, words);
            }
            tensors.Add(new(s.Name, new TensorData(s.Shape, data)));
        }
        return new StateDict(tensors);
    }

    private sealed record Spec(string Name, int[] Shape, long Count, long Begin, long End);

    private static List<Spec> ParseHeader(string path, byte[] header)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException ex) { throw new CheckpointFormatException(path, $"safetensors header is not valid JSON: {ex.Message}", ex); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException(path, "safetensors header is not a JSON object");
            var specs = new List<Spec>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue; // free-form string map, e.g. {"format": "pt"}
                if (!seen.Add(p.Name)) throw Bad(path, p.Name, "appears twice");
                if (p.Value.ValueKind != JsonValueKind.Object) throw Bad(path, p.Name, "is not an object");
                var dtype = p.Value.TryGetProperty("dtype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : throw Bad(path, p.Name, "has no string 'dtype'");
                if (dtype != "F32") throw Bad(path, p.Name, $"has dtype {dtype}; only F32 (float32) is supported");
                var shape = Ints(path, p.Name, p.Value, "shape", int.MaxValue).Select(v => (int)v).ToArray();
                var offsets = Ints(path, p.Name, p.Value, "data_offsets", long.MaxValue);
                if (offsets.Length != 2 || offsets[1] < offsets[0]) throw Bad(path, p.Name, "has 'data_offsets' that are not [begin, end] with begin <= end");
                long count = 1;
                foreach (var dim in shape) count = checked(count * dim);
                if (count > Array.MaxLength) throw Bad(path, p.Name, $"has {count} elements, more than one array can hold");
                if (offsets[1] - offsets[0] != count * sizeof(float))
                    throw Bad(path, p.Name, $"has data_offsets [{offsets[0]}, {offsets[1]}] ({offsets[1] - offsets[0]} bytes) but shape {TensorData.FormatShape(shape)} needs {count * sizeof(float)} bytes");
                specs.Add(new Spec(p.Name, shape, count, offsets[0], offsets[1]));
            }
            return specs;
        }
    }

    private static long[] Ints(string path, string name, JsonElement obj, string field, long max)
    {
        if (!obj.TryGetProperty(field, out var arr) || arr.ValueKind != JsonValueKind.Array) throw Bad(path, name, $"has no array '{field}'");
        var result = new long[arr.GetArrayLength()];
        int i = 0;
        foreach (var v in arr.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var x) || x < 0 || x > max)
                throw Bad(path, name, $"'{field}' element {i} is not a non-negative integer");
            result[i++] = x;
        }
        return result;
    }

    /// <summary>Like the reference implementation: the tensors tile the data area exactly, without gaps or overlaps.</summary>
    private static void CheckLayout(string path, List<Spec> specs, long dataLength)
    {
        long expected = 0;
        foreach (var s in specs.OrderBy(s => s.Begin).ThenBy(s => s.End))
        {
            if (s.Begin != expected) throw Bad(path, s.Name, $"starts at data offset {s.Begin}, expected {expected} (gap or overlap)");
            expected = s.End;
        }
        if (expected != dataLength)
            throw new CheckpointFormatException(path, $"safetensors data area is {dataLength} bytes but the header describes {expected} (truncated or trailing bytes)");
    }

    private static CheckpointFormatException Bad(string path, string tensor, string problem) =>
        new(path, $"safetensors header entry '{tensor}' {problem}");
}
