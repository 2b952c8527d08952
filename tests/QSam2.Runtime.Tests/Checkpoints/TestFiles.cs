using System.IO.Compression;
using System.Runtime.InteropServices;
using QSam2.Runtime.Checkpoints;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>Scratch files for checkpoint tests, and hand-built checkpoints.</summary>
internal sealed class TestFiles : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("qsam2-ckpt-").FullName;

    public string PathFor(string name) => Path.Combine(Dir, name);

    public string WriteBytes(string name, byte[] bytes)
    {
        var p = PathFor(name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    /// <summary>A zip in torch layout (<c>root/data.pkl</c> + <c>root/data/&lt;key&gt;</c>) around a hand-written pickle.</summary>
    public string WriteTorchZip(string name, byte[] pickle, IReadOnlyDictionary<string, float[]> storages, string root = "model")
    {
        var p = PathFor(name);
        using (var zip = ZipFile.Open(p, ZipArchiveMode.Create))
        {
            Add(zip, $"{root}/data.pkl", pickle);
            foreach (var (key, data) in storages) Add(zip, $"{root}/data/{key}", MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
            Add(zip, $"{root}/version", "3\n"u8.ToArray());
        }
        return p;
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        s.Write(bytes);
    }

    /// <summary>A small state dict with awkward shapes and bit patterns (NaN payload, -0, ±inf, subnormal).</summary>
    public static StateDict Synthetic()
    {
        var rng = new Random(7);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var special = new[]
        {
            BitConverter.UInt32BitsToSingle(0x7fc01234), -0f, float.PositiveInfinity, float.NegativeInfinity,
            float.Epsilon, float.MaxValue, float.MinValue, 1f,
        };
        return new StateDict(new (string, TensorData)[]
        {
            ("a.weight", new TensorData([4, 3, 2, 2], Random(48))),
            ("a.bias", new TensorData([4], Random(4))),
            ("special", new TensorData([2, 4], special)),
            ("scalar", new TensorData([], [3.5f])),
            ("empty", new TensorData([0, 3], [])),
            ("big", new TensorData([300, 257], Random(300 * 257))), // element count needs BININT
            ("unit.dims", new TensorData([1, 1, 5], Random(5))),
        });
    }

    public static void AssertBitEqual(StateDict expected, StateDict actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, e) in expected)
        {
            var a = actual[key];
            Assert.Equal(e.Shape, a.Shape);
            Assert.Equal(MemoryMarshal.Cast<float, uint>(e.Data).ToArray(), MemoryMarshal.Cast<float, uint>(a.Data).ToArray());
        }
        Assert.Equal(expected.TotalElements, actual.TotalElements);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
