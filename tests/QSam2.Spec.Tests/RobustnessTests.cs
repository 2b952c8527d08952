using QSam2.Spec.Arch;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Diagnostics;

namespace QSam2.Spec.Tests;

/// <summary>
/// Any value in any field either reads, validates and expands, or fails with a <see cref="SpecException"/> —
/// never another exception (division by zero, index out of range, overflow) from a half-checked spec.
/// </summary>
public class RobustnessTests
{
    private static readonly string[] IntValues = { "0", "-1", "1", "2", "3", "7", "1000000", "2147483647" };
    private static readonly string[] ArrayValues = { "[]", "[0]", "[-1, 5]", "[1, 1, 1, 1]", "[2147483647, 2]", "[3, 3]", "[64, 32, 16]" };
    private static readonly string[] NumberValues = { "0", "-1.5", "0.5", "1e308", "3" };

    public static TheoryData<string> FieldPaths()
    {
        var data = new TheoryData<string>();
        foreach (var f in ArchSchema.Describe().Where(f => f.Type is not "object" and not "string")) data.Add(f.Path);
        return data;
    }

    [Theory]
    [MemberData(nameof(FieldPaths))]
    public void Extreme_values_fail_cleanly(string path)
    {
        var type = ArchSchema.Describe().Single(f => f.Path == path).Type;
        var values = type switch { "integer" => IntValues, "integer array" => ArrayValues, "boolean" => new[] { "true", "false" }, _ => NumberValues };
        foreach (var v in values)
        {
            var json = Json(path, v);
            try
            {
                var spec = ArchSpecReader.Read(json, "x.arch.json");
                var x = ArchExpansion.Expand(spec);
                Assert.True(x.TotalParameters > 0);
                Assert.All(x.Layers, l => Assert.True(l.Macs >= 0, l.Name));
            }
            catch (SpecException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{path} = {v}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(512)]
    [InlineData(2048)]
    public void Tiny_expands_or_fails_cleanly_at_other_sizes(int size)
    {
        var spec = ArchSpecReader.ReadFile(RepoPaths.ArchSpec("sam2.1_hiera_t"));
        try
        {
            var x = ArchExpansion.Expand(spec, size);
            Assert.Equal(size / 16, x.EmbeddingSize);
        }
        catch (SpecException e)
        {
            Assert.Contains("image size", e.Message);
        }
    }

    private static string Json(string path, string value)
    {
        var dot = path.IndexOf('.');
        var body = dot < 0 ? $"\"{path}\": {value}" : $"\"{path.Substring(0, dot)}\": {{\"{path.Substring(dot + 1)}\": {value}}}";
        return "{\"name\": \"x\", " + body + "}";
    }
}
