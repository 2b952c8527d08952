using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Tests.Kernels;

public class AttentionTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(5, 7, 1, 8)]
    [InlineData(70, 33, 2, 12)]   // more queries than one block, odd key count
    [InlineData(9, 130, 3, 16)]
    public void MatchesDoubleAttention_AndVersionsAgree(int nq, int nk, int heads, int d)
    {
        var rng = new Random(nq * 31 + nk);
        int c = heads * d;
        // Fused qkv rows like Hiera's: [q | k | v] per token, stride 3C (queries and keys share the token count here only if nq == nk).
        int ldq = c + 1, ldkv = 3 * c;
        var q = TestData.Floats(rng, nq * ldq);
        var kv = TestData.Floats(rng, nk * ldkv, 2f);
        var kSpan = kv.AsSpan(c);
        var vSpan = kv.AsSpan(2 * c);
        float scale = 1f / MathF.Sqrt(d);
        int ldo = c + 2;

        var expected = new float[nq * ldo];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < nq; i++)
            {
                var s = new double[nk];
                double max = double.NegativeInfinity, sum = 0;
                for (int j = 0; j < nk; j++)
                {
                    double dot = 0;
                    for (int t = 0; t < d; t++) dot += (double)q[i * ldq + h * d + t] * kv[j * ldkv + c + h * d + t];
                    s[j] = dot * scale;
                    max = Math.Max(max, s[j]);
                }
                for (int j = 0; j < nk; j++) sum += s[j] = Math.Exp(s[j] - max);
                for (int t = 0; t < d; t++)
                {
                    double o = 0;
                    for (int j = 0; j < nk; j++) o += s[j] / sum * kv[j * ldkv + 2 * c + h * d + t];
                    expected[i * ldo + h * d + t] = (float)o;
                }
            }

        var reference = new float[nq * ldo];
        AttentionCore.Attention_Reference(q, ldq, kSpan, ldkv, vSpan, ldkv, reference, ldo, nq, nk, heads, d, scale);
        TestData.Close(expected, reference, 1e-5, 1e-6, "attention reference");

        var scratch = new float[AttentionCore.ScratchFloats(nq, nk, d)];
        var portable = new float[nq * ldo];
        AttentionCore.Attention_Portable(q, ldq, kSpan, ldkv, vSpan, ldkv, portable, ldo, nq, nk, heads, d, scale, scratch);
        TestData.Close(reference, portable, 1e-5, 1e-6, "attention portable");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = new float[nq * ldo];
            AttentionCore.Attention_Avx2Fma(q, ldq, kSpan, ldkv, vSpan, ldkv, avx, ldo, nq, nk, heads, d, scale, scratch);
            TestData.Close(reference, avx, 1e-5, 1e-6, "attention avx2");
        }
    }

    [Fact]
    public void TooSmallScratch_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            AttentionCore.Attention(new float[8], 4, new float[8], 4, new float[8], 4, new float[8], 4, 2, 2, 1, 4, 0.5f, new float[3]));
        Assert.Contains("scratch", e.Message);
    }
}
