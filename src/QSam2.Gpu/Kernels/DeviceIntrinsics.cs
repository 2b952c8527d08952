using ILGPU;
using ILGPU.Backends.PTX;
using ILGPU.IR;
using ILGPU.IR.Intrinsics;
using ILGPU.Runtime.Cuda;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// The three operations whose exact semantics decide parity with the CPU kernels (docs/quantization.md), with one
/// implementation per backend. ILGPU translates kernels to its own IR for every accelerator, including the CPU one, so
/// plain <c>MathF.FusedMultiplyAdd</c> / <c>MathF.Round</c> do not compile there; these methods are registered as
/// intrinsics instead: the CPU (IL) backend calls the .NET body, the PTX backend redirects to the inline-PTX twin.
/// <list type="bullet">
/// <item><see cref="Fma"/>: fused multiply-add with one rounding (<c>fma.rn.f32</c>).</item>
/// <item><see cref="RoundEven"/>: round half to even (<c>cvt.rni.f32.f32</c>).</item>
/// <item><see cref="Dp4a"/>: four unsigned-byte × signed-byte products added to an int32 (<c>dp4a.u32.s32</c>, sm_61+):
/// the activation codes are the unsigned operand, the decoded weights the signed one, exactly the CPU operand split
/// (docs/quantization.md §6), so accumulators are equal.</item>
/// </list>
/// </summary>
public static class DeviceIntrinsics
{
    /// <summary><c>a·b + c</c> with a single rounding.</summary>
    [IntrinsicImplementation]
    public static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);

    /// <summary>Round half to even (the rounding of every quantizer).</summary>
    [IntrinsicImplementation]
    public static float RoundEven(float x) => MathF.Round(x, MidpointRounding.ToEven);

    /// <summary><c>c + Σ_i ubyte_i(a) · sbyte_i(b)</c>, i = 0..3 (int32, wrapping).</summary>
    [IntrinsicImplementation]
    public static int Dp4a(int a, int b, int c)
    {
        uint ua = (uint)a;
        return unchecked(c
            + (int)(ua & 0xFF) * (sbyte)b
            + (int)((ua >> 8) & 0xFF) * (sbyte)(b >> 8)
            + (int)((ua >> 16) & 0xFF) * (sbyte)(b >> 16)
            + (int)(ua >> 24) * (sbyte)(b >> 24));
    }

    /// <summary>PTX twin of <see cref="Fma"/> (reached only through the intrinsic redirect).</summary>
    public static float FmaPtx(float a, float b, float c)
    {
        CudaAsm.Emit("fma.rn.f32 %0, %1, %2, %3;", out float d, a, b, c);
        return d;
    }

    /// <summary>PTX twin of <see cref="RoundEven"/>.</summary>
    public static float RoundEvenPtx(float x)
    {
        CudaAsm.Emit("cvt.rni.f32.f32 %0, %1;", out float d, x);
        return d;
    }

    /// <summary>PTX twin of <see cref="Dp4a"/>.</summary>
    public static int Dp4aPtx(int a, int b, int c)
    {
        CudaAsm.Emit("dp4a.u32.s32 %0, %1, %2, %3;", out int d, a, b, c);
        return d;
    }

    /// <summary>Registers the PTX redirects on a context builder (before the context exists).</summary>
    internal static void Register(Context.Builder builder)
    {
        var manager = builder.GetIntrinsicManager();
        var type = typeof(DeviceIntrinsics);
        foreach (var (name, ptx) in new[] { (nameof(Fma), nameof(FmaPtx)), (nameof(RoundEven), nameof(RoundEvenPtx)), (nameof(Dp4a), nameof(Dp4aPtx)) })
        {
            var method = type.GetMethod(name) ?? throw new InvalidOperationException($"{type.Name}.{name} not found");
            manager.RegisterMethod(method, new PTXIntrinsic(type, ptx, IntrinsicImplementationMode.Redirect));
        }
    }
}
