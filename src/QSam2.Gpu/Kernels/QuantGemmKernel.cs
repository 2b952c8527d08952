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
/// every thread then runs 4 × 4 × 4 dp4a from shared memory into a 4 × 4 register tile (spelled out, so the
/// accumulators stay in registers). The float steps are the CPU reference's operations in the CPU reference's order,
/// so on the CPU accelerator outputs and codes are bit-identical to <c>QuantGemm.Gemm_Reference</c>.
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

        int gx = Group.DimX, gy = Group.DimY, tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * gx + tx, threads = gx * gy;
        int bm = 4 * gy, bn = 4 * gx;
        int row0 = Grid.IdxY * bm, col0 = Grid.IdxX * bn;
        int k = shape.K, n = shape.N, g = shape.GroupSize;
        int groups = k / g;
        int blocks = (k + GpuWeightLayout.BlockCodes - 1) / GpuWeightLayout.BlockCodes;
        int wordsPerBlock = codec.WordsPerBlock;

        int a00 = 0, a01 = 0, a02 = 0, a03 = 0;
        int a10 = 0, a11 = 0, a12 = 0, a13 = 0;
        int a20 = 0, a21 = 0, a22 = 0, a23 = 0;
        int a30 = 0, a31 = 0, a32 = 0, a33 = 0;
        float s00 = 0f, s01 = 0f, s02 = 0f, s03 = 0f;
        float s10 = 0f, s11 = 0f, s12 = 0f, s13 = 0f;
        float s20 = 0f, s21 = 0f, s22 = 0f, s23 = 0f;
        float s30 = 0f, s31 = 0f, s32 = 0f, s33 = 0f;

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
                int x0 = sharedA[ty * 4 + j];
                int x1 = sharedA[(ty + 1 * gy) * 4 + j];
                int x2 = sharedA[(ty + 2 * gy) * 4 + j];
                int x3 = sharedA[(ty + 3 * gy) * 4 + j];
                int w0 = sharedW[tx * 4 + j];
                int w1 = sharedW[(tx + 1 * gx) * 4 + j];
                int w2 = sharedW[(tx + 2 * gx) * 4 + j];
                int w3 = sharedW[(tx + 3 * gx) * 4 + j];
                a00 = Dp4a(x0, w0, a00); a01 = Dp4a(x0, w1, a01); a02 = Dp4a(x0, w2, a02); a03 = Dp4a(x0, w3, a03);
                a10 = Dp4a(x1, w0, a10); a11 = Dp4a(x1, w1, a11); a12 = Dp4a(x1, w2, a12); a13 = Dp4a(x1, w3, a13);
                a20 = Dp4a(x2, w0, a20); a21 = Dp4a(x2, w1, a21); a22 = Dp4a(x2, w2, a22); a23 = Dp4a(x2, w3, a23);
                a30 = Dp4a(x3, w0, a30); a31 = Dp4a(x3, w1, a31); a32 = Dp4a(x3, w2, a32); a33 = Dp4a(x3, w3, a33);
            }
            Group.Barrier();

            // End of a scale group (per channel: the last block): remove the zero point and dequantize into F.
            int end = k0 + GpuWeightLayout.BlockCodes;
            if (end % g == 0 || b == blocks - 1)
            {
                int gi = groups == 1 ? 0 : end / g - 1;
                Dequantize(args, col0 + tx + 0 * gx, gi, groups, n, out int z0, out float f0);
                Dequantize(args, col0 + tx + 1 * gx, gi, groups, n, out int z1, out float f1);
                Dequantize(args, col0 + tx + 2 * gx, gi, groups, n, out int z2, out float f2);
                Dequantize(args, col0 + tx + 3 * gx, gi, groups, n, out int z3, out float f3);
                s00 = Fma(a00 - z0, f0, s00);
                s01 = Fma(a01 - z1, f1, s01);
                s02 = Fma(a02 - z2, f2, s02);
                s03 = Fma(a03 - z3, f3, s03);
                s10 = Fma(a10 - z0, f0, s10);
                s11 = Fma(a11 - z1, f1, s11);
                s12 = Fma(a12 - z2, f2, s12);
                s13 = Fma(a13 - z3, f3, s13);
                s20 = Fma(a20 - z0, f0, s20);
                s21 = Fma(a21 - z1, f1, s21);
                s22 = Fma(a22 - z2, f2, s22);
                s23 = Fma(a23 - z3, f3, s23);
                s30 = Fma(a30 - z0, f0, s30);
                s31 = Fma(a31 - z1, f1, s31);
                s32 = Fma(a32 - z2, f2, s32);
                s33 = Fma(a33 - z3, f3, s33);
                a00 = 0; a01 = 0; a10 = 0; a11 = 0; a20 = 0; a21 = 0; a30 = 0; a31 = 0;
                a02 = 0; a03 = 0; a12 = 0; a13 = 0; a22 = 0; a23 = 0; a32 = 0; a33 = 0;
            }
        }

        int r0 = row0 + ty + 0 * gy;
        int r1 = row0 + ty + 1 * gy;
        int r2 = row0 + ty + 2 * gy;
        int r3 = row0 + ty + 3 * gy;
        int c0 = col0 + tx + 0 * gx;
        int c1 = col0 + tx + 1 * gx;
        int c2 = col0 + tx + 2 * gx;
        int c3 = col0 + tx + 3 * gx;
        Finish<TShape>(args, r0, c0, s00);
        Finish<TShape>(args, r0, c1, s01);
        Finish<TShape>(args, r0, c2, s02);
        Finish<TShape>(args, r0, c3, s03);
        Finish<TShape>(args, r1, c0, s10);
        Finish<TShape>(args, r1, c1, s11);
        Finish<TShape>(args, r1, c2, s12);
        Finish<TShape>(args, r1, c3, s13);
        Finish<TShape>(args, r2, c0, s20);
        Finish<TShape>(args, r2, c1, s21);
        Finish<TShape>(args, r2, c2, s22);
        Finish<TShape>(args, r2, c3, s23);
        Finish<TShape>(args, r3, c0, s30);
        Finish<TShape>(args, r3, c1, s31);
        Finish<TShape>(args, r3, c2, s32);
        Finish<TShape>(args, r3, c3, s33);
    }

    /// <summary>Zero-point correction <c>zp_a·Σw</c> and scale of (column, group); zeros for a column past N.</summary>
    private static void Dequantize(QuantGemmArgs args, int col, int group, int groups, int n, out int correction, out float scale)
    {
        bool valid = col < n;
        correction = valid ? args.Input.ZeroPoint * args.WeightSums[col * groups + group] : 0;
        scale = valid ? args.Scales[col * groups + group] : 0f;
    }

    /// <summary><c>y = fma(F, s_a, bias)</c>, then the shared epilogue, for an element inside the output.</summary>
    private static void Finish<TShape>(QuantGemmArgs args, int row, int col, float sum)
        where TShape : struct, IGemmShape
    {
        if (row < args.Input.Rows && col < default(TShape).N)
            args.Output.Store<TShape>(row, col, Fma(sum, args.Input.Scale, args.Output.BiasAt<TShape>(col)));
    }
}
