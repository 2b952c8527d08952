using QSam2.Runtime.Kernels.Quant;

namespace QSam2.Runtime.Kernels;

/// <summary>Argument checks shared by every public kernel entry point: one clear message naming kernel and operand.</summary>
internal static class KernelArgs
{
    /// <summary>Elements a strided row-major matrix needs: <c>(rows − 1)·stride + cols</c> (0 when empty).</summary>
    public static long Needed(int rows, int cols, int stride) => rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * stride + cols;

    public static void Positive(string kernel, string name, int value)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{kernel}: {name} must be > 0");
    }

    public static void NonNegative(string kernel, string name, int value)
    {
        if (value < 0) throw new ArgumentOutOfRangeException(name, value, $"{kernel}: {name} must be >= 0");
    }

    public static void Matrix(string kernel, string name, int length, int rows, int cols, int stride)
    {
        if (stride < cols) throw new ArgumentException($"{kernel}: {name} row stride {stride} is smaller than its {cols} columns", name);
        long need = Needed(rows, cols, stride);
        if (length < need) throw new ArgumentException($"{kernel}: {name} has {length} elements, needs {need} ({rows}×{cols}, stride {stride})", name);
    }

    public static void Length(string kernel, string name, int length, long expected)
    {
        if (length < expected) throw new ArgumentException($"{kernel}: {name} has {length} elements, needs {expected}", name);
    }

    /// <summary>Checks the epilogue operands and the output against an m×n result.</summary>
    public static void Epilogue(string kernel, in GemmEpilogue ep, in GemmOutput output, int m, int n)
    {
        if (!ep.Bias.IsEmpty && ep.Bias.Length < n) throw new ArgumentException($"{kernel}: bias has {ep.Bias.Length} values, needs {n}", "bias");
        if (!ep.Residual.IsEmpty) Matrix(kernel, "residual", ep.Residual.Length, m, n, ep.ResidualStride);
        Matrix(kernel, output.IsQuantized ? "output codes" : "output", output.Length, m, n, output.Stride);
        if (output.IsQuantized) output.Quant.Validate($"{kernel}: output quantization");
    }

    public static void Scratch(string kernel, int length, long needed)
    {
        if (length < needed) throw new ArgumentException($"{kernel}: scratch has {length} bytes, needs {needed}", "scratch");
    }

    public static void Activation(string kernel, ActivationQuantParams aq) => aq.Validate($"{kernel}: input activation");
}
