namespace QSam2.Runtime.Imaging;

/// <summary>
/// SAM2's image-predictor preprocessing (<c>SAM2Transforms</c>): uint8 / 255 → antialiased bilinear resize
/// of both sides to S×S (aspect ratio NOT kept, no padding) → ImageNet mean/std per channel.
/// The output is the planar <c>[3, S, S]</c> float32 model input.
/// </summary>
public static class Sam2Preprocessing
{
    /// <summary>ImageNet channel means (RGB) used by SAM2.</summary>
    public static IReadOnlyList<float> Mean { get; } = new[] { 0.485f, 0.456f, 0.406f };

    /// <summary>ImageNet channel standard deviations (RGB) used by SAM2.</summary>
    public static IReadOnlyList<float> Std { get; } = new[] { 0.229f, 0.224f, 0.225f };

    /// <summary>Returns the normalised model input <c>[3, imageSize, imageSize]</c> (CHW, row-major).</summary>
    public static float[] ToModelInput(RgbImage image, int imageSize)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (imageSize <= 0) throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, "model image size must be positive");

        int h = image.Height, w = image.Width, plane = h * w;
        var chw = new float[3 * plane];
        var pixels = image.Pixels;
        for (int p = 0; p < plane; p++)
        {
            // ToTensor: float division by 255 (not multiplication by 1/255), as torchvision does.
            chw[p] = pixels[p * 3] / 255f;
            chw[plane + p] = pixels[p * 3 + 1] / 255f;
            chw[2 * plane + p] = pixels[p * 3 + 2] / 255f;
        }

        var resized = AntialiasedResize.ResizeChw(chw, 3, h, w, imageSize, imageSize);
        int outPlane = imageSize * imageSize;
        for (int c = 0; c < 3; c++)
        {
            float mean = Mean[c], std = Std[c];
            var span = resized.AsSpan(c * outPlane, outPlane);
            for (int i = 0; i < span.Length; i++) span[i] = (span[i] - mean) / std;
        }
        return resized;
    }
}
