using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using QSam2.Runtime.Checkpoints.Pickle;
using QSam2.Runtime.Checkpoints.Zip;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// Reads a PyTorch zip checkpoint (<c>torch.save</c>, format version 3): <c>&lt;root&gt;/data.pkl</c>
/// holds the pickled object, <c>&lt;root&gt;/data/&lt;key&gt;</c> the raw storage bytes.
/// The state dict is the pickle's <c>"model"</c> entry (official SAM2 layout) or the top-level dict itself.
/// </summary>
internal static class TorchZipReader
{
    public static StateDict Read(string path, Stream stream)
    {
        ZipArchive? zip = null;
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: Encoding.UTF8);
            foreach (var e in zip.Entries) entries.TryAdd(e.FullName, e); // the central directory is parsed here, lazily
        }
        catch (InvalidDataException ex)
        {
            zip?.Dispose();
            throw new CheckpointFormatException(path, $"not a readable zip archive (truncated or corrupt central directory): {ex.Message}", ex);
        }

        using (zip)
        {

            var root = FindRoot(path, entries.Keys);
            var pickleName = root + "/data.pkl";
            var pickle = ReadEntry(path, entries[pickleName]);
            var obj = RestrictedUnpickler.Load(pickle, path, pickleName);
            var state = LocateStateDict(path, pickleName, obj);
            bool bigEndian = ReadByteOrder(path, root, entries);
            return Materialize(path, root, entries, state, bigEndian);
        }
    }

    private static string FindRoot(string path, IEnumerable<string> names)
    {
        // torch.save puts everything under one folder whose name is arbitrary (file stem or "archive").
        var roots = names.Where(n => n.EndsWith("/data.pkl", StringComparison.Ordinal) && n.IndexOf('/') == n.Length - "/data.pkl".Length)
            .Select(n => n[..^"/data.pkl".Length]).ToList();
        return roots.Count switch
        {
            1 => roots[0],
            0 => throw new CheckpointFormatException(path, "zip archive has no '<root>/data.pkl' entry; not a torch.save checkpoint"),
            _ => throw new CheckpointFormatException(path, $"zip archive has several data.pkl entries ({string.Join(", ", roots.Select(r => r + "/data.pkl"))})"),
        };
    }

    private static List<KeyValuePair<string, TensorRef>> LocateStateDict(string path, string pickleName, object? obj)
    {
        if (obj is not PyDict top) throw new CheckpointFormatException(path, $"{pickleName} holds a {obj?.GetType().Name ?? "None"}, not a dict");
        var dict = top.TryGet("model", out var model) && model is PyDict m ? m : top;
        var result = new List<KeyValuePair<string, TensorRef>>(dict.Items.Count);
        foreach (var (key, value) in dict.Items)
        {
            if (key is not string name || value is not TensorRef t)
            {
                var where = ReferenceEquals(dict, top)
                    ? $"has no \"model\" state dict and its top-level entry '{key}' is not a tensor (top-level keys: {string.Join(", ", top.Items.Select(p => p.Key))})"
                    : $"\"model\" entry '{key}' is not a tensor";
                throw new CheckpointFormatException(path, $"{pickleName} {where}");
            }
            result.Add(new KeyValuePair<string, TensorRef>(name, t));
        }
        return result;
    }

    private static bool ReadByteOrder(string path, string root, Dictionary<string, ZipArchiveEntry> entries)
    {
        // Written by torch >= 2.1; older files are little-endian.
        if (!entries.TryGetValue(root + "/byteorder", out var e)) return false;
        var text = Encoding.ASCII.GetString(ReadEntry(path, e)).Trim();
        return text switch
        {
            "little" => false,
            "big" => true,
            _ => throw new CheckpointFormatException(path, $"{e.FullName} says '{text}'; expected 'little' or 'big'"),
        };
    }

    private static StateDict Materialize(string path, string root, Dictionary<string, ZipArchiveEntry> entries,
        List<KeyValuePair<string, TensorRef>> state, bool bigEndian)
    {
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, t) in state) uses[t.Storage.Key] = uses.GetValueOrDefault(t.Storage.Key) + 1;

        var storages = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var tensors = new List<KeyValuePair<string, TensorData>>(state.Count);
        foreach (var (name, t) in state)
        {
            if (t.Storage.StorageType != PickleAllowList.FloatStorage)
                throw new CheckpointFormatException(path, $"tensor '{name}' is stored as {t.Storage.StorageType}; only float32 (torch.FloatStorage) checkpoints are supported");
            if (!storages.TryGetValue(t.Storage.Key, out var storage))
            {
                storage = ReadStorage(path, root, entries, name, t.Storage, bigEndian);
                storages[t.Storage.Key] = storage;
            }
            tensors.Add(new(name, View(path, name, t, storage, uses[t.Storage.Key] == 1)));
        }
        return new StateDict(tensors);
    }

    private static float[] ReadStorage(string path, string root, Dictionary<string, ZipArchiveEntry> entries, string tensor, StorageRef s, bool bigEndian)
    {
        var entryName = $"{root}/data/{s.Key}";
        if (!entries.TryGetValue(entryName, out var e))
            throw new CheckpointFormatException(path, $"missing data entry '{entryName}' for tensor '{tensor}'");
        long expected = checked(s.ElementCount * sizeof(float));
        if (e.Length != expected)
            throw new CheckpointFormatException(path, $"data entry '{entryName}' has {e.Length} bytes but tensor '{tensor}' declares a storage of {s.ElementCount} float32 elements ({expected} bytes)");
        if (s.ElementCount > Array.MaxLength)
            throw new CheckpointFormatException(path, $"storage '{entryName}' of tensor '{tensor}' has {s.ElementCount} elements, more than one array can hold");
        var data = new float[s.ElementCount];
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        ReadExactly(path, e, bytes);
        if (bigEndian)
        {
            var words = MemoryMarshal.Cast<float, uint>(data.AsSpan());
            BinaryPrimitives.ReverseEndianness(words, words);
        }
        return data;
    }

    private static TensorData View(string path, string name, TensorRef t, float[] storage, bool soleUser)
    {
        var shape = new int[t.Size.Length];
        long count = 1;
        long last = t.Offset; // highest element index the view touches
        for (int i = 0; i < shape.Length; i++)
        {
            if (t.Size[i] > int.MaxValue) throw new CheckpointFormatException(path, $"tensor '{name}' dimension {i} is {t.Size[i]}, too large");
            shape[i] = (int)t.Size[i];
            count = checked(count * t.Size[i]);
            if (t.Size[i] > 0) last = checked(last + (t.Size[i] - 1) * t.Stride[i]);
        }
        if (count > Array.MaxLength) throw new CheckpointFormatException(path, $"tensor '{name}' has {count} elements, more than one array can hold");
        if (count == 0) return new TensorData(shape, []);
        if (last >= storage.Length)
            throw new CheckpointFormatException(path, $"storage too short for tensor '{name}': offset {t.Offset}, size [{string.Join(", ", t.Size)}], stride [{string.Join(", ", t.Stride)}] reach element {last} but the storage has {storage.Length}");

        if (IsContiguous(t.Size, t.Stride))
        {
            if (soleUser && t.Offset == 0 && count == storage.Length) return new TensorData(shape, storage);
            return new TensorData(shape, storage.AsSpan((int)t.Offset, (int)count).ToArray());
        }
        return new TensorData(shape, Gather(storage, t, (int)count));
    }

    private static bool IsContiguous(long[] size, long[] stride)
    {
        long expected = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            if (size[i] != 1 && stride[i] != expected) return false; // a size-1 dimension's stride is irrelevant
            expected *= size[i];
        }
        return true;
    }

    /// <summary>Copies a strided view into row-major order (torch.save keeps views of shared storages as they are).</summary>
    private static float[] Gather(float[] storage, TensorRef t, int count)
    {
        var result = new float[count];
        int rank = t.Size.Length;
        var index = new long[rank];
        long src = t.Offset;
        for (int i = 0; i < count; i++)
        {
            result[i] = storage[src];
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < t.Size[d]) { src += t.Stride[d]; break; }
                src -= (t.Size[d] - 1) * t.Stride[d];
                index[d] = 0;
            }
        }
        return result;
    }

    private static byte[] ReadEntry(string path, ZipArchiveEntry e)
    {
        if (e.Length > Array.MaxLength) throw new CheckpointFormatException(path, $"zip entry '{e.FullName}' is {e.Length} bytes, too large");
        var buffer = new byte[e.Length];
        ReadExactly(path, e, buffer);
        return buffer;
    }

    private static void ReadExactly(string path, ZipArchiveEntry e, Span<byte> buffer)
    {
        try
        {
            using var s = e.Open();
            s.ReadExactly(buffer);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new CheckpointFormatException(path, $"zip entry '{e.FullName}' cannot be read (truncated or corrupt file): {ex.Message}", ex);
        }
        // torch.save writes a real CRC-32 for every record; a mismatch means the bytes changed after saving.
        var crc = Crc32.Compute(buffer);
        if (crc != e.Crc32)
            throw new CheckpointFormatException(path, $"zip entry '{e.FullName}' is corrupt: CRC-32 0x{crc:x8} differs from 0x{e.Crc32:x8} recorded in the zip directory");
    }
}
