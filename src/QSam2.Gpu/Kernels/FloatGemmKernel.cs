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
/// A and W tiles of 16 k are staged in shared memory (im2col inputs gathered on the fly); each thread keeps a 4 × 4
/// register tile.
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

        int gx = Group.DimX, gy = Group.DimY, tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * gx + tx, threads = gx * gy;
        int bm = 4 * gy, bn = 4 * gx;
        int row0 = Grid.IdxY * bm, col0 = Grid.IdxX * bn;
        int k = shape.K, n = shape.N;
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;

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
            // The last block stops at K: no FMA with padding, so even the sign of a zero matches the reference.
            int steps = k - k0 < Step ? k - k0 : Step;
            for (int t = 0; t < steps; t++)
            {
                float x0 = sharedA[(ty + 0 * gy) * Step + t];
                float x1 = sharedA[(ty + 1 * gy) * Step + t];
                float x2 = sharedA[(ty + 2 * gy) * Step + t];
                float x3 = sharedA[(ty + 3 * gy) * Step + t];
                float w0 = sharedW[(tx + 0 * gx) * Step + t];
                float w1 = sharedW[(tx + 1 * gx) * Step + t];
                float w2 = sharedW[(tx + 2 * gx) * Step + t];
                float w3 = sharedW[(tx + 3 * gx) * Step + t];
                c00 = Fma(x0, w0, c00); c01 = Fma(x0, w1, c01); c02 = Fma(x0, w2, c02); c03 = Fma(x0, w3, c03);
                c10 = Fma(x1, w0, c10); c11 = Fma(x1, w1, c11); c12 = Fma(x1, w2, c12); c13 = Fma(x1, w3, c13);
                c20 = Fma(x2, w0, c20); c21 = Fma(x2, w1, c21); c22 = Fma(x2, w2, c22); c23 = Fma(x2, w3, c23);
                c30 = Fma(x3, w0, c30); c31 = Fma(x3, w1, c31); c32 = Fma(x3, w2, c32); c33 = Fma(x3, w3, c33);
            }
            Group.Barrier();
        }

        int r0 = row0 + ty + 0 * gy;
        int r1 = row0 + ty + 1 * gy;
        int r2 = row0 + ty + 2 * gy;
        int r3 = row0 + ty + 3 * gy;
        int c0 = col0 + tx + 0 * gx;
        int c1 = col0 + tx + 1 * gx;
        int c2 = col0 + tx + 2 * gx;
        int c3 = col0 + tx + 3 * gx;
        Finish<TShape>(args, r0, c0, c00);
        Finish<TShape>(args, r0, c1, c01);
        Finish<TShape>(args, r0, c2, c02);
        Finish<TShape>(args, r0, c3, c03);
        Finish<TShape>(args, r1, c0, c10);
        Finish<TShape>(args, r1, c1, c11);
        Finish<TShape>(args, r1, c2, c12);
        Finish<TShape>(args, r1, c3, c13);
        Finish<TShape>(args, r2, c0, c20);
        Finish<TShape>(args, r2, c1, c21);
        Finish<TShape>(args, r2, c2, c22);
        Finish<TShape>(args, r2, c3, c23);
        Finish<TShape>(args, r3, c0, c30);
        Finish<TShape>(args, r3, c1, c31);
        Finish<TShape>(args, r3, c2, c32);
        Finish<TShape>(args, r3, c3, c33);
    }

    /// <summary><c>y = acc + bias</c>, then the shared epilogue, for an element inside the output.</summary>
    private static void Finish<TShape>(FloatGemmArgs args, int row, int col, float acc)
        where TShape : struct, IGemmShape
    {
        if (row < args.Input.Rows && col < default(TShape).N)
            args.Output.Store<TShape>(row, col, acc + args.Output.BiasAt<TShape>(col));
    }
}
