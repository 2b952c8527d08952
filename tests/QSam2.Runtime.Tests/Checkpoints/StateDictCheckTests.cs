using QSam2.Runtime.Checkpoints;

namespace QSam2.Runtime.Tests.Checkpoints;

public sealed class StateDictCheckTests
{
    private static readonly (string Key, int[] Shape)[] Expected =
    [
        ("image_encoder.trunk.patch_embed.proj.weight", [24, 3, 7, 7]),
        ("image_encoder.trunk.patch_embed.proj.bias", [24]),
        ("sam_mask_decoder.mask_tokens.weight", [4, 64]),
    ];

    private static StateDict Build(params (string Key, int[] Shape)[] items) =>
        new(items.Select(i => (i.Key, TensorData.Zeros(i.Shape))));

    [Fact]
    public void Matching_state_dict_passes()
    {
        var result = StateDictCheck.Strict(Build(Expected), Expected);
        Assert.True(result.IsMatch);
        result.ThrowIfMismatch("x.pt");
    }

    [Fact]
    public void Renamed_key_is_one_missing_and_one_unexpected()
    {
        var sd = Build(Expected[0], ("image_encoder.trunk.patch_embed.conv.bias", [24]), Expected[2]);
        var result = StateDictCheck.Strict(sd, Expected);
        Assert.False(result.IsMatch);
        Assert.Equal(["image_encoder.trunk.patch_embed.proj.bias"], result.Missing);
        Assert.Equal(["image_encoder.trunk.patch_embed.conv.bias"], result.Unexpected);
        Assert.Empty(result.Mismatched);
        Assert.Contains("missing key: image_encoder.trunk.patch_embed.proj.bias", result.Message);
        Assert.Contains("unexpected key: image_encoder.trunk.patch_embed.conv.bias", result.Message);
        var ex = Assert.Throws<InvalidDataException>(() => result.ThrowIfMismatch("ckpt.pt"));
        Assert.StartsWith("ckpt.pt: ", ex.Message);
    }

    [Fact]
    public void Wrong_shape_is_reported_with_both_shapes()
    {
        var sd = Build(Expected[0], Expected[1], ("sam_mask_decoder.mask_tokens.weight", [4, 256]));
        var result = StateDictCheck.Strict(sd, Expected);
        var m = Assert.Single(result.Mismatched);
        Assert.Equal("sam_mask_decoder.mask_tokens.weight", m.Key);
        Assert.Equal([4, 64], m.Expected);
        Assert.Equal([4, 256], m.Actual);
        Assert.Empty(result.Missing);
        Assert.Empty(result.Unexpected);
        Assert.Contains("size mismatch for sam_mask_decoder.mask_tokens.weight: expected [4, 64], checkpoint has [4, 256]", result.Message);
        Assert.Equal(2, result.Message.Split('\n').Length);
    }

    [Fact]
    public void Duplicate_expected_key_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => StateDictCheck.Strict(Build(Expected), [Expected[0], Expected[0]]));
    }

    [Fact]
    public void Version_is_2_1_only_with_the_object_pointer_time_projection()
    {
        Assert.Equal("2.0", SamCheckpointVersion.Detect(Build(Expected)));
        Assert.Equal("2.1", SamCheckpointVersion.Detect(Build([.. Expected, ("obj_ptr_tpos_proj.weight", [64, 256])])));
    }

    [Fact]
    public void State_dict_rejects_duplicates_and_tensor_rejects_bad_shapes()
    {
        Assert.Throws<ArgumentException>(() => Build(("a", [1]), ("a", [1])));
        Assert.Throws<ArgumentException>(() => new TensorData([2, 3], new float[5]));
        Assert.Throws<ArgumentException>(() => new TensorData([-1], []));
    }
}
