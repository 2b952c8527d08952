using QSam2.Generators.Helpers;
using QSam2.Generators.Model;

namespace QSam2.Generators.Emit;

/// <summary>
/// Emits one weight layer's file: its weights field, its load (repack into the kernel layout) and its run method
/// calling the runtime GEMM with every size, bit-width, tile and arena offset as a constant. Depends only on the
/// <see cref="LayerUnit"/>, so other layers' changes leave this file (and its pipeline step) untouched.
/// </summary>
internal static class LayerEmitter
{
    public static GeneratedSource Emit(LayerUnit u, CancellationToken cancellationToken)
    {
        var k = u.Kernel;
        var w = new SourceWriter();
        EmitHelpers.Header(w, k.Layer);
        EmitHelpers.OpenClass(w, u.Namespace, u.Accessibility, u.ClassName, null, attributes: false);

        string field = "_" + u.Member;
        string shape = "[" + string.Join(", ", u.WeightShape) + "]";
        w.Line($"// {k.Layer}: {k.KernelName}, weight {shape} as [{k.N} × {k.K}], {k.Precision}");
        w.Line($"// rows {(u.RowsExpression == "tokens" ? "tokens (≤ " + k.Rows + ")" : k.Rows.ToString(System.Globalization.CultureInfo.InvariantCulture))}, row tile {k.RowTile} × up to {k.Workers} threads, {EmitHelpers.Macs(k.Macs)} MACs"
            + (k.Activation == EpilogueActivation.Gelu ? ", GELU fused" : "") + (k.Residual ? ", residual fused" : "")
            + (k.QuantizeForLayer != null ? ", output quantized for " + k.QuantizeForLayer : ""));
        w.Line($"private {EmitHelpers.Runtime}.LinearLayer {field} = null!;");
        w.Line();

        string layout = k.Op switch
        {
            KernelOp.ConvTranspose2x2 => "ConvTranspose",
            KernelOp.Im2ColGemm => "Conv",
            _ => u.WeightShape.Count == 4 ? "Conv" : "Linear",
        };
        w.Summary($"Loads {k.Layer} and repacks it for {k.KernelName}.");
        w.Line($"private void {u.Member}_Load({EmitHelpers.Runtime}.WeightSource w) =>");
        w.Line($"    {field} = {EmitHelpers.Runtime}.LinearLayer.Load(w, \"{k.Layer}\", {EmitHelpers.Runtime}.WeightLayout.{layout}, {EmitHelpers.IntArray(u.WeightShape)}, "
            + $"hasBias: {Bool(u.HasBias)}, quantized: {Bool(k.Quantized)}, weightBits: {k.WeightBits}, groupSize: {k.GroupSize}, activationBits: {k.ActivationBits}, "
            + $"kernel: {(k.Quantized ? "global::QSam2.Runtime.Kernels.Quant.QuantGemm." + Lowering.KernelSelector.VariantName(k) : "null")});");
        w.Line();

        w.Summary($"Runs {k.Layer}.");
        w.Line($"private void {u.Member}_Run({EmitHelpers.Runtime}.SegmenterArena a, int rows) =>");
        string quantizeFor = u.QuantizeForMember is null ? "null" : "_" + u.QuantizeForMember;
        switch (k.Op)
        {
            case KernelOp.Im2ColGemm:
                w.Line($"    {EmitHelpers.Runtime}.Sam2Ops.Im2ColGemm(a, {field}, input: {L(u.Input)}, nchw: {Bool(u.InputNchw)}, channels: {u.InChannels}, height: {u.InHeight}, width: {u.InWidth}, "
                    + $"kernel: {u.KernelSize}, stride: {u.Stride}, padding: {u.Padding}, output: {L(u.Output)}, rowTile: {k.RowTile}, workers: {k.Workers}, scratch: {L(u.Scratch)}, scratchBytes: {L(u.ScratchBytes)});");
                break;
            case KernelOp.ConvTranspose2x2:
                w.Line($"    {EmitHelpers.Runtime}.Sam2Ops.ConvTranspose2x2(a, {field}, input: {L(u.Input)}, height: {u.InHeight}, width: {u.InWidth}, output: {L(u.Output)}, "
                    + $"add: {L(u.ResidualOffset)}, rowTile: {k.RowTile}, workers: {k.Workers}, scratch: {L(u.Scratch)}, scratchBytes: {L(u.ScratchBytes)});");
                break;
            default:
                w.Line($"    {EmitHelpers.Runtime}.Sam2Ops.Gemm(a, {field}, input: {L(u.Input)}, inputIsCodes: {Bool(u.InputIsCodes)}, rows: rows, output: {L(u.Output)}, rowTile: {k.RowTile}, workers: {k.Workers}, "
                    + $"gelu: {Bool(k.Activation == EpilogueActivation.Gelu)}, residual: {L(u.ResidualOffset)}, quantizeFor: {quantizeFor}, scratch: {L(u.Scratch)}, scratchBytes: {L(u.ScratchBytes)});");
                break;
        }
        EmitHelpers.CloseClass(w, u.Namespace);
        return new GeneratedSource(u.HintName, w.ToString());
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string L(long v) => Lowering.Literal.Long(v);
}
