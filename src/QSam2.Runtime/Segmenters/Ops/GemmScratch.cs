namespace QSam2.Runtime.Segmenters;

/// <summary>
/// How a weight layer's scratch region is cut, in this order (each part 64-byte aligned), for one row tile of
/// <c>tile</c> rows: [im2col floats tile·K] [input codes tile·K] [pre-scatter floats tile·N] [integer-GEMM scratch].
/// The generator sizes the region with the same rule (QSam2.Generators LoweringContext.ScratchBytes).
/// </summary>
internal readonly struct GemmScratch
{
    public GemmScratch(SegmenterArena a, LinearLayer layer, long scratch, long scratchBytes, int tile, bool im2col, bool needCodes, bool preScatter)
    {
        long at = scratch;
        Im2Col = im2col ? Take(ref at, 4L * tile * layer.K) : -1;
        Codes = needCodes ? Take(ref at, (long)tile * layer.K) : -1;
        PreScatter = preScatter ? Take(ref at, 4L * tile * layer.N) : -1;
        Kernel = at;
        KernelBytes = scratch < 0 ? 0 : scratch + scratchBytes - at;
        if (layer.Quantized)
        {
            long need = Kernels.Quant.QuantGemm.ScratchBytes(layer.Panels!, tile);
            if (scratch < 0 || KernelBytes < need)
                throw new InvalidOperationException($"{layer.Name}: scratch of {scratchBytes} bytes leaves {KernelBytes} for the integer GEMM, which needs {need} (generator and runtime disagree)");
        }
        else if (scratch >= 0 && KernelBytes < 0)
        {
            throw new InvalidOperationException($"{layer.Name}: scratch of {scratchBytes} bytes is too small for a {tile}-row tile");
        }
        Arena = a;
    }

    public SegmenterArena Arena { get; }
    public long Im2Col { get; }
    public long Codes { get; }
    public long PreScatter { get; }
    public long Kernel { get; }
    public long KernelBytes { get; }

    public Span<byte> KernelSpan => KernelBytes > 0 ? Arena.B(Kernel, (int)KernelBytes) : Span<byte>.Empty;

    private static long Take(ref long at, long bytes)
    {
        long start = at;
        at += (bytes + 63) / 64 * 64;
        return start;
    }
}
