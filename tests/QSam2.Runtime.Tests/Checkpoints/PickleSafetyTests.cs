using QSam2.Runtime.Checkpoints;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>The reader is weights-only: crafted pickles are refused, and strided views are honoured.</summary>
public sealed class PickleSafetyTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static PickleBuilder ModelDict() =>
        new PickleBuilder().Proto(2).Op('}').Str("model").Global("collections", "OrderedDict").Op(')').Op('R').Mark();

    private static byte[] Close(PickleBuilder p) => p.Op('u').Op('s').Op('.').ToArray();

    [Fact]
    public void Os_system_is_refused_without_being_called()
    {
        // The classic exploit: os.system("...") via REDUCE. It must fail at the GLOBAL, before REDUCE.
        var pickle = new PickleBuilder().Proto(2).Global("os", "system").Mark().Str("touch /tmp/pwned").Op('t').Op('R').Op('.').ToArray();
        var path = _files.WriteTorchZip("evil.pt", pickle, new Dictionary<string, float[]>());
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Contains("os.system", ex.Message);
        Assert.Contains("byte offset 2", ex.Message);
        Assert.StartsWith(path, ex.Message);
    }

    [Fact]
    public void Builtins_eval_via_stack_global_is_refused()
    {
        var pickle = new PickleBuilder().Proto(4).ShortStr("builtins").ShortStr("eval").Raw(0x93).ShortStr("1+1").Raw(0x85).Op('R').Op('.').ToArray();
        var path = _files.WriteTorchZip("eval.pt", pickle, new Dictionary<string, float[]>());
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Contains("builtins.eval", ex.Message);
    }

    [Fact]
    public void Storage_type_cannot_be_called()
    {
        var pickle = new PickleBuilder().Proto(2).Global("torch", "FloatStorage").Op(')').Op('R').Op('.').ToArray();
        var path = _files.WriteTorchZip("call.pt", pickle, new Dictionary<string, float[]>());
        Assert.Contains("torch.FloatStorage", Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path)).Message);
    }

    [Fact]
    public void Unknown_opcode_is_reported_with_its_offset()
    {
        // 'I' (text INT) is valid pickle but never written by torch.save.
        var pickle = new PickleBuilder().Proto(2).Op('}').Raw((byte)'I', (byte)'1', (byte)'\n').Op('.').ToArray();
        var path = _files.WriteTorchZip("opcode.pt", pickle, new Dictionary<string, float[]>());
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Contains("unexpected opcode 0x49", ex.Message);
        Assert.Contains("byte offset 3", ex.Message);
    }

    [Fact]
    public void Truncated_pickle_is_reported()
    {
        var full = Close(ModelDict().Str("w").Tensor("0", 4, 0, [4], [1]));
        var path = _files.WriteTorchZip("cut.pt", full[..(full.Length / 2)], new Dictionary<string, float[]> { ["0"] = new float[4] });
        Assert.Contains("truncated", Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path)).Message);
    }

    [Fact]
    public void Non_float32_storage_is_refused_naming_the_tensor()
    {
        var pickle = Close(ModelDict().Str("half.weight").Tensor("0", 4, 0, [4], [1], storageType: "HalfStorage"));
        var path = _files.WriteTorchZip("half.pt", pickle, new Dictionary<string, float[]> { ["0"] = new float[2] });
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Contains("'half.weight'", ex.Message);
        Assert.Contains("torch.HalfStorage", ex.Message);
    }

    [Fact]
    public void Missing_data_entry_is_reported()
    {
        var pickle = Close(ModelDict().Str("w").Tensor("5", 4, 0, [4], [1]));
        var path = _files.WriteTorchZip("missing.pt", pickle, new Dictionary<string, float[]>(), root: "ckpt");
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Contains("missing data entry 'ckpt/data/5' for tensor 'w'", ex.Message);
    }

    [Fact]
    public void Storage_too_short_for_a_view_is_reported()
    {
        // A 2x3 view at offset 2 of a 6-element storage would read past its end.
        var pickle = Close(ModelDict().Str("w").Tensor("0", 6, 2, [2, 3], [3, 1]));
        var path = _files.WriteTorchZip("short.pt", pickle, new Dictionary<string, float[]> { ["0"] = new float[6] });
        Assert.Contains("storage too short for tensor 'w'", Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path)).Message);
    }

    [Fact]
    public void Shared_storage_offsets_and_strides_are_honoured()
    {
        float[] storage = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        var pickle = Close(ModelDict()
            .Str("whole").Tensor("0", 10, 0, [2, 5], [5, 1])
            .Str("tail").Tensor("0", 10, 6, [4], [1])
            .Str("transposed").Tensor("0", 10, 0, [5, 2], [1, 5])   // whole.T, not contiguous
            .Str("every_third").Tensor("0", 10, 1, [3], [3]));
        var path = _files.WriteTorchZip("views.pt", pickle, new Dictionary<string, float[]> { ["0"] = storage });
        var sd = CheckpointReader.Read(path);
        Assert.Equal(storage, sd["whole"].Data);
        Assert.Equal([6f, 7, 8, 9], sd["tail"].Data);
        Assert.Equal([5, 2], sd["transposed"].Shape);
        Assert.Equal([0f, 5, 1, 6, 2, 7, 3, 8, 4, 9], sd["transposed"].Data);
        Assert.Equal([1f, 4, 7], sd["every_third"].Data);
        Assert.NotSame(sd["whole"].Data, sd["tail"].Data);
    }

    [Fact]
    public void Flat_state_dict_and_parameters_are_accepted_and_metadata_ignored()
    {
        // torch.save(model.state_dict()) without the {"model": …} wrapper; one entry saved as an nn.Parameter;
        // OrderedDict `_metadata` attached through BUILD, the way nn.Module.state_dict() does.
        var pickle = new PickleBuilder().Proto(2).Global("collections", "OrderedDict").Op(')').Op('R').Mark()
            .Str("p").Global("torch._utils", "_rebuild_parameter").Mark().Tensor("0", 2, 0, [2], [1]).Raw(0x88).Global("collections", "OrderedDict").Op(')').Op('R').Op('t').Op('R')
            .Str("b").Tensor("1", 1, 0, [1], [1])
            .Op('u')
            .Op('}').Str("_metadata").Global("collections", "OrderedDict").Op(')').Op('R').Str("").Op('}').Str("version").Int(1).Op('s').Op('s').Op('s')
            .Op('b').Op('.').ToArray();
        var path = _files.WriteTorchZip("flat.pt", pickle, new Dictionary<string, float[]> { ["0"] = [1, 2], ["1"] = [3] });
        var sd = CheckpointReader.Read(path);
        Assert.Equal(["p", "b"], sd.Keys);
        Assert.Equal([1f, 2], sd["p"].Data);
        Assert.Equal([3f], sd["b"].Data);
    }

    [Fact]
    public void Other_top_level_keys_are_ignored_but_a_non_tensor_model_entry_is_not()
    {
        var ok = new PickleBuilder().Proto(2).Op('}').Mark()
            .Str("epoch").Int(12)
            .Str("model").Global("collections", "OrderedDict").Op(')').Op('R').Str("w").Tensor("0", 1, 0, [1], [1]).Op('s')
            .Op('u').Op('.').ToArray();
        var okPath = _files.WriteTorchZip("extra.pt", ok, new Dictionary<string, float[]> { ["0"] = [4] });
        Assert.Equal(["w"], CheckpointReader.Read(okPath).Keys);

        var bad = new PickleBuilder().Proto(2).Op('}').Str("model").Op('}').Str("step").Int(3).Op('s').Op('s').Op('.').ToArray();
        var badPath = _files.WriteTorchZip("bad.pt", bad, new Dictionary<string, float[]>());
        Assert.Contains("'step' is not a tensor", Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(badPath)).Message);
    }
}
