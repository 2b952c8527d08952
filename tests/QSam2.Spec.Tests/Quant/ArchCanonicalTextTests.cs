using System.Reflection;
using QSam2.Spec.Model;
using QSam2.Spec.Quant;

namespace QSam2.Spec.Tests.Quant;

public class ArchCanonicalTextTests
{
    private static string Snake(string pascal)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }

    /// <summary>A field added to the arch records but not to the canonical text would let two different architectures share a structure hash.</summary>
    [Fact]
    public void CoversEverySettableArchProperty()
    {
        var text = ArchCanonicalText.Write(new ArchSpec());
        var sections = new (Type Type, string Prefix)[]
        {
            (typeof(ArchSpec), ""), (typeof(TrunkSpec), "trunk."), (typeof(NeckSpec), "neck."), (typeof(PromptEncoderSpec), "prompt_encoder."),
            (typeof(MaskDecoderSpec), "mask_decoder."), (typeof(MemoryAttentionSpec), "memory_attention."), (typeof(MemoryEncoderSpec), "memory_encoder."),
        };
        foreach (var (type, prefix) in sections)
        {
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.SetMethod is null || p.PropertyType.Name.EndsWith("Spec", StringComparison.Ordinal)) continue; // computed, or a nested section
                Assert.Contains("\n" + prefix + Snake(p.Name) + "=", "\n" + text);
            }
        }
    }

    [Fact]
    public void HashChangesWithAnyField_AndIsStable()
    {
        var baseline = ArchCanonicalText.Sha256Hex(new ArchSpec());
        Assert.Equal(baseline, ArchCanonicalText.Sha256Hex(new ArchSpec()));
        Assert.NotEqual(baseline, ArchCanonicalText.Sha256Hex(new ArchSpec { Trunk = new TrunkSpec { WindowSpec = new[] { 8, 4, 14, 8 } } }));
        Assert.NotEqual(baseline, ArchCanonicalText.Sha256Hex(new ArchSpec { Trunk = new TrunkSpec { LayerNormEps = 1e-5 } }));
        Assert.Contains("trunk.layer_norm_eps=0x3eb0c6f7a0b5ed8d", ArchCanonicalText.Write(new ArchSpec()));
    }
}
