using ILGPU;
using static QSam2.Gpu.Kernels.DeviceIntrinsics;

namespace QSam2.Gpu.Kernels;

/// <summary>Operands of one float GEMM launch.</summary>
public struct FloatGemmArgs
{
    public GemmInputArgs Input;

    /// <summary>Weights <c>[N, K]</c> row-major (a Linear weight, or a conv weight as [Cout, Cin·kh·kw]).</summary>
    public ArrayView<float> Weights;

    public GemmOutputArgs Output;
}

/// <summary>
/// float32 GEMM with the fused epilogue, one kernel per layer shape: every output accumulates
/// <c>acc = fma(a[m,k], w[n,k], acc)</c> for k in increasing order from 0, then <c>y = acc + bias</c>, exactly
/// <c>GemmF32</c>'s definition, so results are bit-identical to <c>Gemm_F32_Reference</c> on the CPU accelerator.
/// A and W tiles of 16 k are staged in shared memory; im2col inputs are gathered on the fly.
/// </summary>
public static class FloatGemmKernel
{
    private const int Step = 16;

    public static void Run<TShape>(FloatGemmArgs args)
        where TShape : struct, IGemmShape
    {
        var shape = default(TShape);
        var sharedA = SharedMemory.Allocate<float>(GemmTiling.MaxTile * Step);
        var sharedW = SharedMemory.Allocate<float>(GemmTiling.MaxTile * Step);
        var acc = LocalMemory.Allocate<float>(16);

        int gx = Group.DimX, gy = Group.DimY, tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * gx + tx, threads = gx * gy;
        int bm = 4 * gy, bn = 4 * gx;
        int row0 = Grid.IdxY * bm, col0 = Grid.IdxX * bn;
        int k = shape.K, n = shape.N;
        for (int i = 0; i < 16; i++) acc[i] = 0f;

        for (int k0 = 0; k0 < k; k0 += Step)
        {
            for (int idx = tid; idx < bm * Step; idx += threads)
                sharedA[idx] = args.Input.Float<TShape>(row0 + idx / Step, k0 + idx % Step);
            for (int idx = tid; idx < bn * Step; idx += threads)
            {
                int col = col0 + idx / Step, kk = k0 + idx % Step;
                sharedW[idx] = col < n && kk < k ? args.Weights[(long)col * k + kk] : 0f;
            }
            Group.Barrier();
            int steps = k - k0 < Step ? k - k0 : Step;
            for (int t = 0; t < steps; t++)
            {
                for (int r = 0; r < 4; r++)
                {
                    float a = sharedA[(ty + r * gy) * Step + t];
                    for (int c = 0; c < 4; c++) acc[r * 4 + c] = Fma(a, sharedW[(tx + c * gx) * Step + t], acc[r * 4 + c]);
                }
            }
            Group.Barrier();
        }

        for (int r = 0; r < 4; r++)
        {
            int row = row0 + ty + r * gy;
            if (row >= args.Input.Rows) continue;
            for (int c = 0; c < 4; c++)
            {
                int col = col0 + tx + c * gx;
                if (col >= n) continue;
                args.Output.Store<TShape>(row, col, acc[r * 4 + c] + args.Output.BiasAt<TShape>(col));
            }
        }
    }
}
