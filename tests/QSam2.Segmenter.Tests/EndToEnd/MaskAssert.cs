using QSam2.Runtime.Imaging;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>Mask comparisons used by the end-to-end tests.</summary>
internal static class MaskAssert
{
    /// <summary>
    /// <paramref name="actual"/> equals the official mask except at pixels whose official logit is within the
    /// fixture's float tolerance of the threshold (README "How to compare").
    /// </summary>
    public static void MatchesOfficial(byte[] expected, float[] officialLogits, byte[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float tol = 1e-4f * officialLogits.Max(MathF.Abs) + 1e-5f;
        int wrong = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if ((expected[i] != 0) != (actual[i] != 0) && MathF.Abs(officialLogits[i]) > tol) wrong++;
        }
        Assert.True(wrong == 0, $"{what}: {wrong} pixels differ from the official mask away from the threshold");
    }

    public static double Iou(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        long inter = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            bool x = a[i] != 0, y = b[i] != 0;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }

    /// <summary>Loads a mask PNG, checks it is strictly 0/255 gray, and returns it as 0/1 with its size.</summary>
    public static (byte[] Mask, int Width, int Height) LoadBinaryPng(string path)
    {
        var img = ImageCodec.Load(path, applyExifOrientation: false);
        var mask = new byte[img.Width * img.Height];
        for (int i = 0; i < mask.Length; i++)
        {
            byte r = img.Pixels[3 * i], g = img.Pixels[3 * i + 1], b = img.Pixels[3 * i + 2];
            Assert.True(r == g && g == b && (r == 0 || r == 255), $"{path}: pixel {i} is ({r},{g},{b}), expected 0 or 255 gray");
            mask[i] = r == 255 ? (byte)1 : (byte)0;
        }
        return (mask, img.Width, img.Height);
    }
}
