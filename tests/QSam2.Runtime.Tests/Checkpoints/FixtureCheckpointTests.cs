using QSam2.Runtime.Checkpoints;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>fixture-a's checkpoint.pt was written by torch.save (torch 1.13) from the official SAM2 code.</summary>
public sealed class FixtureCheckpointTests
{
    private static readonly Lazy<StateDict> s_fixture = new(() => CheckpointReader.Read(ReferenceFixture.A.CheckpointPath));

    [Fact]
    public void Fixture_loads_every_key_in_file_order()
    {
        var sd = s_fixture.Value;
        Assert.Equal(359, sd.Count);
        Assert.Equal(2_422_466L, sd.TotalElements);
        Assert.Equal(sd.TotalElements, sd.Values.Sum(t => (long)t.Data.Length));
        // state_dict() order: top-level parameters first, then the image encoder.
        Assert.Equal("maskmem_tpos_enc", sd.At(0).Key);
        Assert.Equal("obj_ptr_tpos_proj.bias", sd.At(358).Key);
        Assert.True(sd.IndexOf("image_encoder.trunk.patch_embed.proj.weight") < sd.IndexOf("image_encoder.trunk.blocks.0.norm1.weight"));
    }

    [Theory]
    [InlineData("image_encoder.trunk.patch_embed.proj.weight", new[] { 24, 3, 7, 7 })]
    [InlineData("sam_prompt_encoder.pe_layer.positional_encoding_gaussian_matrix", new[] { 2, 32 })]
    [InlineData("maskmem_tpos_enc", new[] { 7, 1, 1, 32 })]
    [InlineData("no_mem_embed", new[] { 1, 1, 64 })]
    [InlineData("obj_ptr_tpos_proj.bias", new[] { 32 })]
    [InlineData("sam_mask_decoder.mask_tokens.weight", new[] { 4, 64 })]
    public void Fixture_has_known_shapes(string key, int[] shape)
    {
        Assert.Equal(shape, s_fixture.Value[key].Shape);
    }

    [Fact]
    public void Fixture_values_are_the_raw_storage_bytes()
    {
        // The first float32 words of checkpoint/data/0 (maskmem_tpos_enc), read from the file with a hex dump.
        var data = s_fixture.Value["maskmem_tpos_enc"].Data;
        Assert.Equal(BitConverter.UInt32BitsToSingle(0xbcd7b5ab), data[0]);
        Assert.Equal(BitConverter.UInt32BitsToSingle(0xbc82de32), data[1]);
        Assert.All(s_fixture.Value.Values, t => Assert.All(t.Data, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void Fixture_is_SAM_2_1()
    {
        Assert.Equal("2.1", SamCheckpointVersion.Detect(s_fixture.Value));
    }
}
