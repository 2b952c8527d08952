using ILGPU;
using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>Operands of one integer GEMM launch.</summary>
public struct QuantGemmArgs
{
    public GemmInputArgs Input;

    /// <summary>Packed weight codes (<see cref="GpuWeightPacker"/> layout).</summary>
    public ArrayView<int> Weights;

    /// <summary>Σ_k q per (column, group), <c>[N, Groups]</c>.</summary>
    public ArrayView<int> WeightSums;

    /// <summary>Weight scales <c>[N, Groups]</c>.</summary>
    public ArrayView<float> Scales;

    public GemmOutputArgs Output;
}

/// <summary>
/// The integer GEMM of docs/quantization.md §5 on the device, one kernel per (weight codec, layer shape):
/// <code>
/// acc[m,n,g] = Σ_{k∈g} a·w − zp_a·Σ_{k∈g} w          dp4a on 4 codes at a time, exact int32 (= the CPU accumulators)
/// F          = fma(float(acc[g]), s_w[n,g], F)        groups in increasing order
/// y          = fma(F, s_a, bias[n]) → GELU → + residual → float or next layer's codes
/// </code>
/// Per K block of 16 codes the group stages the A codes (float input is quantized on the way in) and the decoded
/// weight codes of its columns in shared memory, so each packed low-bit word is read once per tile and decoded once;
/// every thread then runs 4 × 4 × 4 dp4a from shared memory. The float steps are the CPU reference's operations in the
/// CPU reference's order, so on the CPU accelerator outputs and codes are bit-identical to <c>QuantGemm.Gemm_Reference</c>.
/// </summary>
public static class QuantGemmKernel
{
    public static void Run<TCodec, TShape>(QuantGemmArgs args)
        where TCodec : struct, IWeightCodec
        where TShape : struct, IGemmShape
    {
        var shape = default(TShape);
        var codec = default(TCodec);
        var sharedA = SharedMemory.Allocate<int>(GemmTiling.MaxTile * 4);
        var sharedW = SharedMemory.Allocate<int>(GemmTiling.MaxTile * 4);
        var acc = LocalMemory.Allocate<int>(16);
        var sum = LocalMemory.Allocate<float>(16);

        int gx = Group.DimX, gy = Group.DimY, tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * gx + tx, threads = gx * gy;
        int bm = 4 * gy, bn = 4 * gx;
        int row0 = Grid.IdxY * bm, col0 = Grid.IdxX * bn;
        int k = shape.K, n = shape.N, g = shape.GroupSize;
        int groups = k / g;
        int blocks = (k + GpuWeightLayout.BlockCodes - 1) / GpuWeightLayout.BlockCodes;
        int wordsPerBlock = codec.WordsPerBlock;

        for (int i = 0; i < 16; i++)
        {
            acc[i] = 0;
            sum[i] = 0f;
        }

        for (int b = 0; b < blocks; b++)
        {
            int k0 = b * GpuWeightLayout.BlockCodes;
            for (int idx = tid; idx < bm * 4; idx += threads)
                sharedA[idx] = args.Input.CodeWord<TShape>(row0 + (idx >> 2), k0 + 4 * (idx & 3));
            for (int idx = tid; idx < bn * 4; idx += threads)
            {
                int col = col0 + (idx >> 2);
                sharedW[idx] = col < n ? codec.Decode(args.Weights, ((long)col * blocks + b) * wordsPerBlock, idx & 3) : 0;
            }
            Group.Barrier();

            for (int j = 0; j < 4; j++)
            {
                for (int r = 0; r < 4; r++)
                {
                    int a = sharedA[(ty + r * gy) * 4 + j];
                    for (int c = 0; c < 4; c++) acc[r * 4 + c] = Dp4a(a, sharedW[(tx + c * gx) * 4 + j], acc[r * 4 + c]);
                }
            }
            Group.Barrier();

            // End of a scale group (per channel: the last block): remove the zero point and dequantize into F.
            int end = k0 + GpuWeightLayout.BlockCodes;
            if (end % g == 0 || b == blocks - 1)
            {
                int gi = groups == 1 ? 0 : end / g - 1;
                for (int c = 0; c < 4; c++)
                {
                    int col = col0 + tx + c * gx;
                    bool valid = col < n;
                    int correction = valid ? args.Input.ZeroPoint * args.WeightSums[col * groups + gi] : 0;
                    float scale = valid ? args.Scales[col * groups + gi] : 0f;
                    for (int r = 0; r < 4; r++)
                    {
                        sum[r * 4 + c] = Fma(acc[r * 4 + c] - correction, scale, sum[r * 4 + c]);
                        acc[r * 4 + c] = 0;
                    }
                }
            }
        }

        for (int r = 0; r < 4; r++)
        {
            int row = row0 + ty + r * gy;
            if (row >= args.Input.Rows) continue;
            for (int c = 0; c < 4; c++)
            {
                int col = col0 + tx + c * gx;
                if (col >= n) continue;
                args.Output.Store<TShape>(row, col, Fma(sum[r * 4 + c], args.Input.Scale, args.Output.BiasAt<TShape>(col)));
            }
        }
    }
}
