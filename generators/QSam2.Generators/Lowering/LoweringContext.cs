using System.Text;
using QSam2.Generators.Model;
using QSam2.Spec.Arch.Expansion;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Lowering;

/// <summary>
/// Shared state while lowering one segmenter: the expanded architecture, each weight layer's resolved quantization,
/// the program builder, and the parameter fields to load. Creates <see cref="LayerUnit"/>s with their kernel and
/// scratch decided, and names members deterministically.
/// </summary>
internal sealed class LoweringContext
{
    private readonly Dictionary<string, ResolvedLayerQuant> _quant;
    private readonly List<ParameterField> _parameters = new();
    private readonly HashSet<string> _parameterKeys = new(StringComparer.Ordinal);
    private int _unitIndex;

    public LoweringContext(SegmenterRequest request, ExpandedArch arch, QuantResolution? quant, int maxPromptPoints)
    {
        Request = request;
        Arch = arch;
        _quant = new Dictionary<string, ResolvedLayerQuant>(StringComparer.Ordinal);
        if (quant != null)
        {
            foreach (var l in quant.Layers) _quant[l.Target.Name] = l.Quant;
        }
        int sparseMax = maxPromptPoints + 1;
        var md = arch.Spec.MaskDecoder;
        OutputTokens = md.NumMultimaskOutputs + 1 + 1 + (md.PredObjScores ? 1 : 0);
        MaxTokens = OutputTokens + sparseMax;
    }

    public SegmenterRequest Request { get; }
    public ExpandedArch Arch { get; }
    public ProgramBuilder Program { get; } = new();

    /// <summary>Decoder output tokens before the sparse prompt tokens: [obj_score?, iou, mask × (multimask + 1)].</summary>
    public int OutputTokens { get; }

    /// <summary>Largest token count the decoder buffers are planned for.</summary>
    public int MaxTokens { get; }

    public IReadOnlyList<ParameterField> Parameters => _parameters;

    public ResolvedLayerQuant QuantOf(string layer) => _quant.TryGetValue(layer, out var q) ? q : ResolvedLayerQuant.Float;

    public LayerInfo Layer(string name) => Arch.FindLayer(name) ?? throw new InvalidOperationException("arch expansion has no layer " + name);

    /// <summary>Registers a float tensor to load and returns its field name.</summary>
    public string Parameter(string key)
    {
        var field = "p_" + Sanitize(key);
        if (_parameterKeys.Add(key))
        {
            var tensor = Arch.Layers.SelectMany(l => l.Parameters).First(p => p.Key == key);
            _parameters.Add(new ParameterField(field, key, tensor.Shape));
        }
        return field;
    }

    /// <summary>
    /// A weight-layer unit with its kernel decided. <paramref name="rows"/> is the planned (maximum) row count,
    /// <paramref name="rowsExpression"/> the C# the generated code uses (a literal, or <c>tokens</c>).
    /// </summary>
    public LayerUnit Unit(string layerName, KernelOp op, int rows, string? rowsExpression = null,
        EpilogueActivation activation = EpilogueActivation.None, bool residual = false,
        bool inputIsCodes = false, bool inputNchw = false, int inHeight = 0, int inWidth = 0)
    {
        var layer = Layer(layerName);
        var weight = layer.Parameters.First(p => p.Name == "weight");
        int k, n;
        switch (op)
        {
            case KernelOp.Im2ColGemm:
                k = layer.InFeatures / layer.Groups * layer.KernelSize * layer.KernelSize;
                n = layer.OutFeatures;
                break;
            case KernelOp.ConvTranspose2x2:
                k = layer.InFeatures;
                n = layer.OutFeatures * layer.KernelSize * layer.KernelSize;
                break;
            default:
                k = layer.InFeatures;
                n = layer.OutFeatures;
                break;
        }
        var q = QuantOf(layerName);
        var kernel = KernelSelector.Select(layerName, op, q, rows, k, n, activation, residual, null, (long)rows * k * n);
        int index = _unitIndex++;
        return new LayerUnit
        {
            Namespace = Request.Namespace,
            ClassName = Request.ClassName,
            Accessibility = Request.Accessibility,
            Index = index,
            Member = "L" + index.ToString("000", System.Globalization.CultureInfo.InvariantCulture) + "_" + Pascal(layerName),
            Kernel = kernel,
            RowsExpression = rowsExpression ?? Literal.Int(rows),
            WeightShape = weight.Shape,
            HasBias = layer.Parameters.Any(p => p.Name == "bias"),
            InChannels = layer.InFeatures,
            InHeight = inHeight,
            InWidth = inWidth,
            KernelSize = layer.KernelSize,
            Stride = layer.Stride,
            Padding = layer.Padding,
            InputNchw = inputNchw,
            InputIsCodes = inputIsCodes,
        };
    }

    /// <summary><paramref name="producer"/> with an epilogue that quantizes its output to <paramref name="consumer"/>'s input codes.</summary>
    public static LayerUnit QuantizingFor(LayerUnit producer, LayerUnit consumer)
    {
        var k = producer.Kernel;
        var q = k.Quantized
            ? new ResolvedLayerQuant(false, k.WeightBits, k.Granularity, k.GroupSize, k.ActivationBits)
            : ResolvedLayerQuant.Float;
        var kernel = KernelSelector.Select(k.Layer, k.Op, q, k.Rows, k.K, k.N, k.Activation, k.Residual, consumer.Kernel.Layer, k.Macs);
        return producer with { Kernel = kernel, QuantizeForMember = consumer.Member };
    }

    /// <summary>
    /// Scratch bytes a unit needs: per parallel worker, one row tile's slot laid out [im2col floats][input codes][pre-scatter floats][integer-GEMM
    /// scratch], each part 64-byte aligned: the same cut QSam2.Runtime's GemmScratch makes. The integer-GEMM part is an
    /// upper bound of QuantGemm.ScratchBytes (decoded panels + a row block of activations as int16).
    /// </summary>
    public static long ScratchBytes(LayerUnit u)
    {
        var k = u.Kernel;
        long tile = k.RowTile;
        long bytes = 0;
        if (k.Op == KernelOp.Im2ColGemm) bytes += ProgramBuilder.Align(4L * tile * k.K);
        if (k.Quantized && !u.InputIsCodes) bytes += ProgramBuilder.Align(tile * k.K);
        if (k.Op == KernelOp.ConvTranspose2x2) bytes += ProgramBuilder.Align(4L * tile * k.N);
        if (k.Quantized)
        {
            long kp = (k.K + KernelSelector.KAlign - 1) / KernelSelector.KAlign * KernelSelector.KAlign;
            bytes += ProgramBuilder.Align(64 + ProgramBuilder.Align(KernelSelector.DecodedWeightBytes(k.K, k.N, k.WeightBits)) + (tile + 3) / 4 * 4 * kp * 2);
        }
        // One slot per parallel worker.
        return bytes * k.Workers;
    }

    /// <summary>Floats of scratch QSam2.Runtime's AttentionCore needs (packed K and V panels + one block of score rows).</summary>
    public static long AttentionScratchFloats(int queries, int keys, int headDim) =>
        PackedLength(keys, headDim) + PackedLength(headDim, keys) + (long)Math.Min(AttentionQueryBlock, Math.Max(queries, 1)) * keys;

    /// <summary>FewKeysAttention.MaxKeys: the image→token attention uses it when the largest prompt fits.</summary>
    public const int FewKeysAttentionMaxKeys = 128;

    /// <summary>AttentionCore's query rows per block of scores.</summary>
    public const int AttentionQueryBlock = 64;

    private static long PackedLength(int n, int k) => (long)(n + KernelSelector.PanelWidth - 1) / KernelSelector.PanelWidth * KernelSelector.PanelWidth * k;

    /// <summary>Runs <paramref name="unit"/> in <paramref name="section"/>, giving it a scratch buffer if it needs one.</summary>
    public void Run(Section section, LayerUnit unit, Buffer input, Buffer output, Buffer? residual = null)
    {
        long scratch = ScratchBytes(unit);
        var s = scratch > 0 ? Program.Alloc("scratch." + unit.Member, scratch) : null;
        Program.AddLayer(section, unit, unit.RowsExpression, input, output, residual, s);
    }

    /// <summary>Like <see cref="Run"/> with operands inside larger buffers (single decoder rows).</summary>
    public void RunAt(Section section, LayerUnit unit, BufferAt input, BufferAt output)
    {
        long scratch = ScratchBytes(unit);
        var s = scratch > 0 ? Program.Alloc("scratch." + unit.Member, scratch) : null;
        Program.AddLayer(section, unit, unit.RowsExpression, input, output, null, s);
    }

    public static string Sanitize(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (char c in key) sb.Append(char.IsLetterOrDigit(c) ? c : '_');
        return sb.ToString();
    }

    /// <summary><c>image_encoder.trunk.blocks.0.attn.qkv</c> → <c>TrunkBlocks0AttnQkv</c>.</summary>
    public static string Pascal(string name)
    {
        if (name.StartsWith("image_encoder.", StringComparison.Ordinal)) name = name.Substring("image_encoder.".Length);
        else if (name.StartsWith("sam_mask_decoder.", StringComparison.Ordinal)) name = "decoder." + name.Substring("sam_mask_decoder.".Length);
        else if (name.StartsWith("sam_prompt_encoder.", StringComparison.Ordinal)) name = "prompt." + name.Substring("sam_prompt_encoder.".Length);
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '.' || c == '_')
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }
}
