using System.Reflection;
using QSam2.Spec.Arch;
using QSam2.Spec.Diagnostics;
using QSam2.Spec.Model;

namespace QSam2.Spec.Tests;

/// <summary>specs/README.md and the schema table stay in sync with the records.</summary>
public class DocumentationTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "specs", "README.md"));

    [Fact]
    public void Readme_documents_every_field_with_its_type_and_default()
    {
        foreach (var f in ArchSchema.Describe().Where(f => f.Type != "object"))
        {
            Assert.Contains($"| `{f.Path}` | {f.Type} | `{f.Default}` |", Readme);
        }
    }

    [Fact]
    public void Readme_documents_every_error_code()
    {
        foreach (var c in typeof(SpecErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            Assert.Contains("| " + (string)c.GetValue(null)! + " |", Readme);
        }
    }

    /// <summary>Every settable record property has a JSON field named by its snake_case, and reading that field sets it.</summary>
    [Fact]
    public void Schema_covers_every_record_property_by_snake_case_name()
    {
        var paths = ArchSchema.Describe().Select(f => f.Path).ToHashSet();
        var sections = new (Type Type, string Prefix)[]
        {
            (typeof(ArchSpec), ""), (typeof(TrunkSpec), "trunk."), (typeof(NeckSpec), "neck."), (typeof(PromptEncoderSpec), "prompt_encoder."),
            (typeof(MaskDecoderSpec), "mask_decoder."), (typeof(MemoryAttentionSpec), "memory_attention."), (typeof(MemoryEncoderSpec), "memory_encoder."),
        };
        int count = 0;
        foreach (var (type, prefix) in sections)
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
            {
                Assert.Contains(prefix + Snake(p.Name), paths);
                count++;
            }
        }
        Assert.Equal(paths.Count - 1, count); // "description" is documentation only, not a record property
    }

    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            bool boundary = i > 0 && char.IsUpper(pascal[i])
                && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) || (i + 1 < pascal.Length && char.IsLower(pascal[i + 1])));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
