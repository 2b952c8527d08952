using System.Reflection;
using System.Text.RegularExpressions;
using ILGPU;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using QSam2.Gpu.Device;
using QSam2.Gpu.Kernels;

namespace QSam2.Gpu.Ptx;

/// <summary>
/// Compiles a kernel to PTX text with ILGPU's PTX backend and the project's intrinsics, without a GPU or a driver
/// (the backend is pure code generation). Used by the snapshot tests and to inspect what a layer's kernel becomes
/// (dp4a, fma.rn, folded shape constants). ILGPU 1.5.3 targets <c>sm_80</c>; the driver JIT-compiles it for newer GPUs.
/// </summary>
public static class PtxCompiler
{
    /// <summary>PTX of an explicitly grouped kernel (a method taking one argument struct).</summary>
    public static string Compile(MethodInfo kernel)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        GpuSupport.EnsureSupported();
        // A fresh context per compilation keeps IR ids, and therefore register and label names, reproducible.
        using var context = Context.Create(builder =>
        {
            builder.Math(MathMode.Default);
            DeviceIntrinsics.Register(builder);
        });
        var architecture = CudaArchitecture.SM_80;
        using var backend = new PTXBackend(context, new CudaCapabilityContext(architecture), architecture, CudaInstructionSet.ISA_80, nvvmAPI: null);
        var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(kernel), KernelSpecialization.Empty);
        return Canonicalize(compiled.PTXAssembly);
    }

    /// <summary>
    /// ILGPU names parameters, labels and helper functions after IR node ids (<c>_args_5633</c>, <c>L_21630</c>,
    /// <c>Fma_17080</c>), which come from a process-wide counter and so depend on whatever was compiled before. This
    /// renumbers every such id (the target <c>sm_80</c> excepted) in order of
    /// first appearance, leaving registers and instructions alone, so the same kernel always gives the same text.
    /// </summary>
    public static string Canonicalize(string ptx)
    {
        ArgumentNullException.ThrowIfNull(ptx);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        return s_generatedName.Replace(ptx, m =>
        {
            if (m.Groups["stem"].Value is "sm" or "compute") return m.Value;
            if (!names.TryGetValue(m.Value, out var name))
            {
                name = m.Groups["stem"].Value + "_id" + names.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                names[m.Value] = name;
            }
            return name;
        });
    }

    private static readonly Regex s_generatedName = new(@"\b(?<stem>[A-Za-z_]\w*?)_\d+\b", RegexOptions.CultureInvariant);

    /// <summary>PTX of the integer GEMM for one codec and layer shape.</summary>
    public static string QuantGemm<TCodec, TShape>()
        where TCodec : struct, IWeightCodec
        where TShape : struct, IGemmShape =>
        Compile(Kernel(typeof(QuantGemmKernel), typeof(TCodec), typeof(TShape)));

    /// <summary>PTX of the float GEMM for one layer shape.</summary>
    public static string FloatGemm<TShape>()
        where TShape : struct, IGemmShape =>
        Compile(Kernel(typeof(FloatGemmKernel), typeof(TShape)));

    private static MethodInfo Kernel(Type owner, params Type[] arguments) =>
        (owner.GetMethod("Run", BindingFlags.Public | BindingFlags.Static) ?? throw new MissingMethodException(owner.Name, "Run"))
        .MakeGenericMethod(arguments);
}
