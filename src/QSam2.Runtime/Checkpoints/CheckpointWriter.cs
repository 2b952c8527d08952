using System.Runtime.InteropServices;
using System.Text;
using QSam2.Runtime.Checkpoints.Pickle;
using QSam2.Runtime.Checkpoints.Zip;

namespace QSam2.Runtime.Checkpoints;

/// <summary>
/// Saves a <see cref="StateDict"/> as an official-layout SAM2 checkpoint, the file
/// <c>torch.save({"model": state_dict}, path)</c> produces and <c>torch.load(path, weights_only=True)["model"]</c> reads:
/// a stored zip with <c>archive/data.pkl</c>, <c>archive/byteorder</c>, one 64-byte aligned
/// <c>archive/data/&lt;i&gt;</c> per tensor and <c>archive/version</c>.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>The folder torch.save uses inside the zip when saving to a path named "archive"; any name works.</summary>
    public const string DefaultRoot = "archive";

    /// <summary>Writes <paramref name="sd"/> to <paramref name="path"/> via a temporary file (no partial output on failure).</summary>
    public static void Write(string path, StateDict sd)
    {
        ArgumentNullException.ThrowIfNull(sd);
        AtomicFile.Write(path, s => Write(s, sd, DefaultRoot, forceZip64: false));
    }

    internal static void Write(Stream output, StateDict sd, string root, bool forceZip64)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are written from little-endian hosts only");
        var zip = new StoredZipWriter(output, forceZip64);
        zip.Add($"{root}/data.pkl", StateDictPickle.Build(sd));
        zip.Add($"{root}/byteorder", "little"u8);
        // torch.save writes storages sorted by key as strings: 0, 1, 10, 100, …
        var order = Enumerable.Range(0, sd.Count).Select(i => (Key: StateDictPickle.StorageKey(i), Index: i))
            .OrderBy(k => k.Key, StringComparer.Ordinal);
        foreach (var (key, index) in order)
            zip.Add($"{root}/data/{key}", MemoryMarshal.AsBytes(sd.At(index).Value.Data.AsSpan()));
        zip.Add($"{root}/version", Encoding.ASCII.GetBytes("3\n"));
        zip.Finish();
    }
}
