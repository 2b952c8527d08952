using QSam2.Generators.Model;
using QSam2.Spec.Quant;

namespace QSam2.Generators.Lowering;

/// <summary>
/// Decides each weight layer's kernel: float GEMM, or the integer GEMM for its weight bits (2/3/4/8 codes repacked
/// into 16-column panels), activation bits (uint8 codes, 2..8 bits) and scale granularity; the row tile; and the
/// epilogue. Also the scratch the kernel needs, with the same formulas the runtime uses.
/// </summary>
internal static class KernelSelector
{
    /// <summary>Panel width and K alignment of QSam2.Runtime's integer GEMM (QuantWeightPanels).</summary>
    public const int PanelWidth = 16;
    public const int KAlign = 16;

    /// <summary>int32 accumulators stay exact up to this K (255·128·K &lt; 2^31).</summary>
    public const int MaxQuantK = 65535;

    /// <summary>Most threads one layer's row tiles (or one attention's windows) run on; the arena holds a scratch slot for each.</summary>
    public const int MaxWorkers = 8;

    /// <summary>Parallel slots for <paramref name="items"/> independent tiles or windows.</summary>
    public static int Workers(long items) => (int)Math.Max(1, Math.Min(MaxWorkers, items));

    /// <summary>Target bytes of one row tile's working set (A rows + output rows): about half an L2.</summary>
    public const int TileBudgetBytes = 256 * 1024;

    /// <summary>Null and a message when no kernel exists for the combination.</summary>
    public static string? Unsupported(string layer, ResolvedLayerQuant q, int k)
    {
        if (q.KeepFloat) return null;
        if (k > MaxQuantK) return $"layer \"{layer}\": K = {k} exceeds {MaxQuantK}, the largest reduction the int32 accumulators keep exact";
        if (!HasVariant(q.WeightBits, q.ActivationBits))
            return $"layer \"{layer}\": no integer GEMM for W{q.WeightBits}A{q.ActivationBits} (QSam2.Runtime has W2/W3/W4/W8 with A8, and W2/W3/W4 with A4)";
        if (q.Granularity == QuantGranularity.PerGroup && q.GroupSize % KAlign != 0)
            return $"layer \"{layer}\": no integer GEMM for per_group({q.GroupSize}); group sizes must be multiples of {KAlign} (the kernel's K panel)";
        return null;
    }

    /// <summary>The (weight, activation) bit pairs QSam2.Runtime.Kernels.Quant.QuantGemm has named variants for.</summary>
    public static bool HasVariant(int weightBits, int activationBits) =>
        activationBits == 8 ? weightBits is 2 or 3 or 4 or 8 : activationBits == 4 && weightBits is 2 or 3 or 4;

    /// <summary>The runtime entry point, e.g. <c>Gemm_W4A8_PerChannel</c> (per-tensor scales use the per-channel kernel).</summary>
    public static string VariantName(KernelSpec k) =>
        "Gemm_W" + k.WeightBits + "A" + k.ActivationBits + (k.Granularity == QuantGranularity.PerGroup ? "_PerGroup" : "_PerChannel");

    public static KernelSpec Select(string layer, KernelOp op, ResolvedLayerQuant q, int rows, int k, int n,
        EpilogueActivation activation, bool residual, string? quantizeFor, long macs)
    {
        bool quant = !q.KeepFloat;
        string precision = quant ? "W" + q.WeightBits + "A" + q.ActivationBits + " " + q.GranularityText : "F32";
        string gran = q.Granularity switch
        {
            QuantGranularity.PerChannel => "PerChannel",
            QuantGranularity.PerTensor => "PerTensor",
            _ => "PerGroup" + q.GroupSize,
        };
        string name = (op == KernelOp.Im2ColGemm ? "Im2Col" : op == KernelOp.ConvTranspose2x2 ? "ConvT2x2" : "")
            + (quant ? "Gemm_W" + q.WeightBits + "A" + q.ActivationBits + "_" + gran : "Gemm_F32")
            + (activation == EpilogueActivation.Gelu ? "_Gelu" : "")
            + (residual ? "_Residual" : "")
            + (quantizeFor != null ? "_Requant" : "");
        return new KernelSpec
        {
            Layer = layer,
            Op = op,
            KernelName = name,
            Rows = rows,
            K = k,
            N = n,
            Quantized = quant,
            WeightBits = quant ? q.WeightBits : 32,
            ActivationBits = quant ? q.ActivationBits : 32,
            Granularity = q.Granularity,
            GroupSize = q.GroupSize,
            RowTile = RowTile(rows, k, n, quant),
            Workers = Workers((rows + RowTile(rows, k, n, quant) - 1) / RowTile(rows, k, n, quant)),
            Activation = activation,
            Residual = residual,
            QuantizeForLayer = quantizeFor,
            Macs = macs,
            Precision = precision,
        };
    }

    /// <summary>Rows per tile: a multiple of 16 whose A block and output block fit <see cref="TileBudgetBytes"/>.</summary>
    public static int RowTile(int rows, int k, int n, bool quantized)
    {
        long perRow = (long)k * (quantized ? 1 : 4) + 4L * n;
        long tile = Math.Max(16, TileBudgetBytes / Math.Max(1, perRow) / 16 * 16);
        return (int)Math.Max(1, Math.Min(rows, tile));
    }

    /// <summary>Decoded weight panels the integer GEMM keeps in scratch during one call (matches QuantWeightPanels).</summary>
    public static long DecodedWeightBytes(int k, int n, int weightBits)
    {
        long kp = (k + KAlign - 1) / KAlign * KAlign;
        long panels = (n + PanelWidth - 1) / PanelWidth;
        return panels * kp * PanelWidth * (weightBits == 8 ? 2 : 1);
    }
}
