using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.PTX;
using ILGPU.IR;
using ILGPU.IR.Intrinsics;
using ILGPU.IR.Values;
using System.Reflection;

namespace QSam2.Gpu.Kernels;

/// <summary>
/// The three operations whose exact semantics decide parity with the CPU kernels (docs/quantization.md), with one
/// implementation per backend. ILGPU translates kernels to its own IR for every accelerator, including the CPU one, so
/// plain <c>MathF.FusedMultiplyAdd</c> / <c>MathF.Round</c> do not compile there; these methods are registered as
/// intrinsics instead: the CPU (IL) backend calls the .NET body, the PTX backend emits the one instruction each stands for.
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

    /// <summary>PTX for <see cref="Fma"/>: <c>fma.rn.f32 d, a, b, c</c>.</summary>
    private static void GenerateFma(PTXBackend backend, PTXCodeGenerator generator, Value value) =>
        Emit(generator, value, "fma.rn.f32", 3);

    /// <summary>PTX for <see cref="RoundEven"/>: <c>cvt.rni.f32.f32 d, x</c>.</summary>
    private static void GenerateRoundEven(PTXBackend backend, PTXCodeGenerator generator, Value value) =>
        Emit(generator, value, "cvt.rni.f32.f32", 1);

    /// <summary>PTX for <see cref="Dp4a"/>: <c>dp4a.u32.s32 d, a, b, c</c> (unsigned a, signed b).</summary>
    private static void GenerateDp4a(PTXBackend backend, PTXCodeGenerator generator, Value value) =>
        Emit(generator, value, "dp4a.u32.s32", 3);

    /// <summary>
    /// One instruction straight into registers: the call's result register, then its arguments. (CudaAsm.Emit would
    /// route every output through a local-memory slot; generating the instruction keeps the accumulators in registers.)
    /// </summary>
    private static void Emit(PTXCodeGenerator generator, Value value, string instruction, int arguments)
    {
        var operands = new RegisterAllocator<PTXRegisterKind>.PrimitiveRegister[arguments];
        for (int i = 0; i < arguments; i++) operands[i] = generator.LoadPrimitive(value[i]);
        var target = generator.AllocateHardware(value);
        using var command = generator.BeginCommand(instruction);
        command.AppendArgument(target);
        foreach (var operand in operands) command.AppendArgument(operand);
    }

    /// <summary>Registers the PTX code generators on a context builder (before the context exists).</summary>
    internal static void Register(Context.Builder builder)
    {
        var manager = builder.GetIntrinsicManager();
        var type = typeof(DeviceIntrinsics);
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        foreach (var (name, generator) in new[] { (nameof(Fma), nameof(GenerateFma)), (nameof(RoundEven), nameof(GenerateRoundEven)), (nameof(Dp4a), nameof(GenerateDp4a)) })
        {
            var method = type.GetMethod(name, flags) ?? throw new InvalidOperationException($"{type.Name}.{name} not found");
            var handler = type.GetMethod(generator, flags) ?? throw new InvalidOperationException($"{type.Name}.{generator} not found");
            manager.RegisterMethod(method, new PTXIntrinsic(handler, IntrinsicImplementationMode.GenerateCode));
        }
    }
}
