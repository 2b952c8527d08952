using ILGPU;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// Launch geometry shared by the GEMM kernels: a group of gx × gy threads computes a (4·gy) × (4·gx) output tile, each
/// thread a 4 × 4 register tile (rows ty + i·gy, columns tx + j·gx, so neighbouring threads touch neighbouring
/// columns). 16 × 16 threads (a 64 × 64 tile) on a GPU; the largest square that fits elsewhere (4 × 4 on ILGPU's
/// default CPU accelerator). Shared tiles are sized for <see cref="MaxTile"/>.
/// </summary>
public static class GemmTiling
{
    /// <summary>Largest tile edge (4 · 16 threads).</summary>
    public const int MaxTile = 64;

    /// <summary>Threads per group edge for an accelerator allowing <paramref name="maxThreadsPerGroup"/>.</summary>
    public static int GroupEdge(int maxThreadsPerGroup)
    {
        int edge = 16;
        while (edge > 1 && edge * edge > maxThreadsPerGroup) edge /= 2;
        return edge;
    }

    /// <summary>Grid and group for an M × N output.</summary>
    public static KernelConfig Config(int maxThreadsPerGroup, int rows, int n)
    {
        int edge = GroupEdge(maxThreadsPerGroup);
        int tile = 4 * edge;
        return new KernelConfig(new Index2D((n + tile - 1) / tile, (rows + tile - 1) / tile), new Index2D(edge, edge));
    }
}
