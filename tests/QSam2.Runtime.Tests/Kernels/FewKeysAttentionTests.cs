using QSam2.Runtime.Kernels;
using QSam2.Runtime.Kernels.Float;

namespace QSam2.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="FewKeysAttention"/> against the scalar attention definition (<see cref="AttentionCore.Attention_Reference"/>),
/// on odd shapes (query counts that leave a partial 8-query block, head widths that are not a multiple of 8, strides
/// wider than the rows); its AVX2 and portable versions must be bit-identical.
/// </summary>
public class FewKeysAttentionTests
{
    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(8, 7, 8, 16)]     // SAM's image→token shape per block: 8 heads of 16, 7 prompt tokens
    [InlineData(13, 3, 2, 12)]    // one full block and a tail of 5
    [InlineData(70, 20, 3, 5)]
    [InlineData(4096, 8, 8, 16)]  // hiera_t's decoder, one head block of every query
    public void MatchesTheAttentionDefinition_AndVersionsAreBitIdentical(int nq, int nk, int heads, int d)
    {
        var rng = new Random(nq * 131 + nk * 7 + d);
        int c = heads * d;
        int ldq = c + 3, ldk = c + 1, ldv = c + 5, ldo = c + 2;
        var q = TestData.Floats(rng, nq * ldq, 2f);
        var k = TestData.Floats(rng, nk * ldk, 2f);
        var v = TestData.Floats(rng, nk * ldv);
        float scale = 1f / MathF.Sqrt(d);

        var reference = new float[nq * ldo];
        AttentionCore.Attention_Reference(q, ldq, k, ldk, v, ldv, reference, ldo, nq, nk, heads, d, scale);
        var portable = new float[nq * ldo];
        FewKeysAttention.Attention_Portable(q, ldq, k, ldk, v, ldv, portable, ldo, nq, nk, heads, d, scale);
        TestData.Close(reference, portable, 1e-5, 1e-6, "few-keys portable");
        if (KernelIsa.UseAvx2Fma)
        {
            var avx = Enumerable.Repeat(float.NaN, nq * ldo).ToArray();
            FewKeysAttention.Attention_8Queries_Avx2Fma(q, ldq, k, ldk, v, ldv, avx, ldo, nq, nk, heads, d, scale);
            for (int r = 0; r < nq; r++)
            {
                for (int j = 0; j < c; j++)
                    Assert.True(BitConverter.SingleToInt32Bits(portable[r * ldo + j]) == BitConverter.SingleToInt32Bits(avx[r * ldo + j]),
                        $"row {r} column {j}: avx2 {avx[r * ldo + j]:R} vs portable {portable[r * ldo + j]:R}");
                // Columns past the heads (the stride's padding) are never written.
                for (int j = c; j < ldo; j++) Assert.True(float.IsNaN(avx[r * ldo + j]), $"row {r} padding column {j} was written");
            }
        }
    }

    [Fact]
    public void TooManyKeys_AreRejectedWithTheKernelName()
    {
        int nk = FewKeysAttention.MaxKeys + 1;
        var e = Assert.Throws<ArgumentException>(() =>
            FewKeysAttention.Attention(new float[4], 4, new float[4 * nk], 4, new float[4 * nk], 4, new float[4], 4, 1, nk, 1, 4, 0.5f));
        Assert.Contains($"{nk} keys exceed the {FewKeysAttention.MaxKeys}", e.Message);
    }
}
