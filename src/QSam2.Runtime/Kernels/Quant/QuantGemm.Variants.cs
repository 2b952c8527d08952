namespace QSam2.Runtime.Kernels.Quant;

// Named entry points, one per (weight bits, activation bits, granularity) × implementation, so generated code
// reads like the recipe ("Gemm_W4A8_PerGroup_4x16_Avx2") and a mismatched .qsw fails loudly at the call.
// All of them forward to the shared implementations in QuantGemm.cs after checking the format.
// On AVX2 the activation width changes nothing in the arithmetic (a 4-bit code is a small uint8); it is
// checked so that a layer compiled for A4 cannot silently receive A8 parameters.
public static partial class QuantGemm
{
    /// <summary>Packs weights that must be 2-bit.</summary>
    public static QuantWeightPanels PackWeights_W2(QuantizedWeights w) => PackExpect(w, 2);

    /// <summary>Packs weights that must be 3-bit.</summary>
    public static QuantWeightPanels PackWeights_W3(QuantizedWeights w) => PackExpect(w, 3);

    /// <summary>Packs weights that must be 4-bit.</summary>
    public static QuantWeightPanels PackWeights_W4(QuantizedWeights w) => PackExpect(w, 4);

    /// <summary>Packs weights that must be 8-bit.</summary>
    public static QuantWeightPanels PackWeights_W8(QuantizedWeights w) => PackExpect(w, 8);

    private static QuantWeightPanels PackExpect(QuantizedWeights w, int bits)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (w.Bits != bits) throw new ArgumentException($"PackWeights_W{bits}: weights are {w.Bits}-bit");
        return PackWeights(w);
    }

    private static void Expect(string kernel, QuantizedWeights w, ActivationQuantParams aq, int bits, bool perGroup, int actBits)
    {
        ArgumentNullException.ThrowIfNull(w);
        Expect(kernel, w.Bits, w.PerGroup, aq, bits, perGroup, actBits);
    }

    private static void Expect(string kernel, QuantWeightPanels w, ActivationQuantParams aq, int bits, bool perGroup, int actBits)
    {
        ArgumentNullException.ThrowIfNull(w);
        Expect(kernel, w.Bits, w.PerGroup, aq, bits, perGroup, actBits);
    }

    private static void Expect(string kernel, int wBits, bool wPerGroup, ActivationQuantParams aq, int bits, bool perGroup, int actBits)
    {
        if (wBits != bits) throw new ArgumentException($"{kernel}: weights are {wBits}-bit, kernel expects {bits}-bit");
        if (wPerGroup != perGroup) throw new ArgumentException($"{kernel}: weights are {(wPerGroup ? "per-group" : "per-channel")}, kernel expects {(perGroup ? "per-group" : "per-channel")}");
        if (aq.Bits != actBits) throw new ArgumentException($"{kernel}: activation parameters are {aq.Bits}-bit, kernel expects {actBits}-bit");
    }

    // W8A8, PerChannel
    public static void Gemm_W8A8_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W8A8_PerChannel_Reference), w, aq, 8, false, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W8A8_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerChannel_Portable), w, aq, 8, false, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W8A8_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerChannel_4x16_Avx2), w, aq, 8, false, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W8A8_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerChannel), w, aq, 8, false, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W8A8, PerGroup
    public static void Gemm_W8A8_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W8A8_PerGroup_Reference), w, aq, 8, true, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W8A8_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerGroup_Portable), w, aq, 8, true, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W8A8_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerGroup_4x16_Avx2), w, aq, 8, true, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W8A8_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W8A8_PerGroup), w, aq, 8, true, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W4A8, PerChannel
    public static void Gemm_W4A8_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W4A8_PerChannel_Reference), w, aq, 4, false, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W4A8_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerChannel_Portable), w, aq, 4, false, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A8_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerChannel_4x16_Avx2), w, aq, 4, false, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A8_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerChannel), w, aq, 4, false, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W4A8, PerGroup
    public static void Gemm_W4A8_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W4A8_PerGroup_Reference), w, aq, 4, true, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W4A8_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerGroup_Portable), w, aq, 4, true, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A8_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerGroup_4x16_Avx2), w, aq, 4, true, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A8_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A8_PerGroup), w, aq, 4, true, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W3A8, PerChannel
    public static void Gemm_W3A8_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W3A8_PerChannel_Reference), w, aq, 3, false, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W3A8_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerChannel_Portable), w, aq, 3, false, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A8_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerChannel_4x16_Avx2), w, aq, 3, false, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A8_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerChannel), w, aq, 3, false, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W3A8, PerGroup
    public static void Gemm_W3A8_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W3A8_PerGroup_Reference), w, aq, 3, true, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W3A8_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerGroup_Portable), w, aq, 3, true, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A8_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerGroup_4x16_Avx2), w, aq, 3, true, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A8_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A8_PerGroup), w, aq, 3, true, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W2A8, PerChannel
    public static void Gemm_W2A8_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W2A8_PerChannel_Reference), w, aq, 2, false, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W2A8_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerChannel_Portable), w, aq, 2, false, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A8_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerChannel_4x16_Avx2), w, aq, 2, false, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A8_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerChannel), w, aq, 2, false, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W2A8, PerGroup
    public static void Gemm_W2A8_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W2A8_PerGroup_Reference), w, aq, 2, true, 8); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W2A8_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerGroup_Portable), w, aq, 2, true, 8); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A8_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerGroup_4x16_Avx2), w, aq, 2, true, 8); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A8_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A8_PerGroup), w, aq, 2, true, 8); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W4A4, PerChannel
    public static void Gemm_W4A4_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W4A4_PerChannel_Reference), w, aq, 4, false, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W4A4_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerChannel_Portable), w, aq, 4, false, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A4_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerChannel_4x16_Avx2), w, aq, 4, false, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A4_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerChannel), w, aq, 4, false, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W4A4, PerGroup
    public static void Gemm_W4A4_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W4A4_PerGroup_Reference), w, aq, 4, true, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W4A4_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerGroup_Portable), w, aq, 4, true, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A4_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerGroup_4x16_Avx2), w, aq, 4, true, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W4A4_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W4A4_PerGroup), w, aq, 4, true, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W3A4, PerChannel
    public static void Gemm_W3A4_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W3A4_PerChannel_Reference), w, aq, 3, false, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W3A4_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerChannel_Portable), w, aq, 3, false, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A4_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerChannel_4x16_Avx2), w, aq, 3, false, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A4_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerChannel), w, aq, 3, false, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W3A4, PerGroup
    public static void Gemm_W3A4_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W3A4_PerGroup_Reference), w, aq, 3, true, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W3A4_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerGroup_Portable), w, aq, 3, true, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A4_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerGroup_4x16_Avx2), w, aq, 3, true, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W3A4_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W3A4_PerGroup), w, aq, 3, true, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W2A4, PerChannel
    public static void Gemm_W2A4_PerChannel_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W2A4_PerChannel_Reference), w, aq, 2, false, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W2A4_PerChannel_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerChannel_Portable), w, aq, 2, false, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A4_PerChannel_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerChannel_4x16_Avx2), w, aq, 2, false, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A4_PerChannel(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerChannel), w, aq, 2, false, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }

    // W2A4, PerGroup
    public static void Gemm_W2A4_PerGroup_Reference(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantizedWeights w, in GemmEpilogue ep, in GemmOutput output)
    { Expect(nameof(Gemm_W2A4_PerGroup_Reference), w, aq, 2, true, 4); Gemm_Reference(a, lda, m, aq, w, ep, output); }
    public static void Gemm_W2A4_PerGroup_Portable(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerGroup_Portable), w, aq, 2, true, 4); Gemm_Portable(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A4_PerGroup_4x16_Avx2(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerGroup_4x16_Avx2), w, aq, 2, true, 4); Gemm_4x16_Avx2(a, lda, m, aq, w, ep, output, scratch); }
    public static void Gemm_W2A4_PerGroup(ReadOnlySpan<byte> a, int lda, int m, ActivationQuantParams aq, QuantWeightPanels w, in GemmEpilogue ep, in GemmOutput output, Span<byte> scratch)
    { Expect(nameof(Gemm_W2A4_PerGroup), w, aq, 2, true, 4); Gemm(a, lda, m, aq, w, ep, output, scratch); }
}
