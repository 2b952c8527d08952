using System.Text.Json;

namespace QSam2.Tests.Shared;

/// <summary>
/// Golden tensors produced by the official SAM2 code (<c>../shared/fixtures/sam2-reference/fixture-a</c>):
/// a manifest <c>tensors.json</c> (name → shape, dtype, byte offset, length) over <c>tensors.bin</c>.
/// </summary>
public sealed class ReferenceFixture
{
    private readonly byte[] _blob;
    private readonly Dictionary<string, Entry> _entries;

    public sealed record Entry(int[] Shape, string Dtype, long Offset, long Length);

    public string Directory { get; }

    private ReferenceFixture(string directory)
    {
        Directory = directory;
        _blob = File.ReadAllBytes(Path.Combine(directory, "tensors.bin"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "tensors.json")));
        _entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            _entries[p.Name] = new Entry(shape, p.Value.GetProperty("dtype").GetString()!,
                p.Value.GetProperty("offset").GetInt64(), p.Value.GetProperty("length").GetInt64());
        }
    }

    private static readonly Lazy<ReferenceFixture> s_a = new(() => new ReferenceFixture(Locate("fixture-a")));

    /// <summary>fixture-a, loaded once per test process.</summary>
    public static ReferenceFixture A => s_a.Value;

    public string CheckpointPath => Path.Combine(Directory, "checkpoint.pt");
    public string ImagePath => Path.Combine(Directory, "image.png");
    public string ConfigPath => Path.Combine(Directory, "config.json");

    public IEnumerable<string> Names => _entries.Keys;

    public int[] Shape(string name) => Get(name).Shape;

    public float[] Float(string name)
    {
        var e = Get(name);
        if (e.Dtype != "float32") throw new InvalidOperationException($"{name} is {e.Dtype}, not float32");
        var span = _blob.AsSpan((int)e.Offset, (int)e.Length);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).ToArray();
    }

    public int[] Int(string name)
    {
        var e = Get(name);
        if (e.Dtype != "int32") throw new InvalidOperationException($"{name} is {e.Dtype}, not int32");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(_blob.AsSpan((int)e.Offset, (int)e.Length)).ToArray();
    }

    public byte[] Bytes(string name)
    {
        var e = Get(name);
        if (e.Dtype != "uint8") throw new InvalidOperationException($"{name} is {e.Dtype}, not uint8");
        return _blob.AsSpan((int)e.Offset, (int)e.Length).ToArray();
    }

    private Entry Get(string name) =>
        _entries.TryGetValue(name, out var e) ? e : throw new KeyNotFoundException($"fixture tensor '{name}' not found in {Directory}");

    /// <summary>Finds <c>shared/fixtures/sam2-reference/&lt;name&gt;</c> next to the repository (the checkout sits beside <c>shared/</c>).</summary>
    public static string Locate(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures", "sam2-reference", name);
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"shared/fixtures/sam2-reference/{name} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Finds the repository root (the folder holding QSam2Compiler.sln).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QSam2Compiler.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("QSam2Compiler.sln not found above " + AppContext.BaseDirectory);
    }
}
