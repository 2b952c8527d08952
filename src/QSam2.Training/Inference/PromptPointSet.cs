using System.Globalization;

namespace QSam2.Training.Inference;

/// <summary>
/// Prompts of B prompt sets merged into the prompt encoder's point form, in model-input pixels:
/// per set, the box corners first (labels 2 = top-left, 3 = bottom-right), then the clicks (1 = foreground,
/// 0 = background), exactly as <c>SAM2ImagePredictor._predict</c> concatenates them.
/// </summary>
/// <param name="Coords">row-major <c>[B, PointsPerSet, 2]</c> (x, y) scaled by S/W0 and S/H0</param>
/// <param name="Labels">row-major <c>[B, PointsPerSet]</c></param>
public sealed record PromptPointSet(float[] Coords, int[] Labels, int Batch, int PointsPerSet)
{
    /// <summary>
    /// Validates prompts against the original image and scales them to the S×S model frame
    /// (<c>SAM2Transforms.transform_coords</c> with <c>normalize=True</c>: x/W0·S, y/H0·S in float32).
    /// Returns null when there are neither boxes nor points (mask-only prompt).
    /// </summary>
    /// <param name="boxes"><c>[B,4]</c> XYXY, or null</param>
    /// <param name="points"><c>[B,N,2]</c>, or null</param>
    /// <param name="labels"><c>[B,N]</c>, required with <paramref name="points"/></param>
    public static PromptPointSet? Build(float[,]? boxes, float[,,]? points, int[,]? labels, int imageWidth, int imageHeight, int modelSize)
    {
        if ((points is null) != (labels is null))
        {
            throw new PromptValidationException(points is null
                ? "point labels were given without point coordinates"
                : "point coordinates were given without point labels");
        }
        if (boxes is not null && boxes.GetLength(1) != 4)
        {
            throw new PromptValidationException($"a box needs 4 values (x0, y0, x1, y1), got {boxes.GetLength(1)}");
        }
        int batch = boxes?.GetLength(0) ?? points?.GetLength(0) ?? 0;
        if (boxes is not null && points is not null && boxes.GetLength(0) != points.GetLength(0))
        {
            throw new PromptValidationException($"{boxes.GetLength(0)} boxes but {points.GetLength(0)} point sets: give one point set per box");
        }
        int n = 0;
        if (points is not null && labels is not null)
        {
            n = points.GetLength(1);
            if (points.GetLength(2) != 2) throw new PromptValidationException($"each point needs 2 values (x, y), got {points.GetLength(2)}");
            if (n == 0) throw new PromptValidationException("point coordinates are empty");
            if (labels.GetLength(0) != points.GetLength(0) || labels.GetLength(1) != n)
            {
                throw new PromptValidationException(
                    $"point labels have shape [{labels.GetLength(0)},{labels.GetLength(1)}] but the points are [{points.GetLength(0)},{n}]: one label per point");
            }
        }
        if (batch == 0) return null;

        int perSet = (boxes is not null ? 2 : 0) + n;
        var coords = new float[batch * perSet * 2];
        var outLabels = new int[batch * perSet];
        for (int b = 0; b < batch; b++)
        {
            int k = b * perSet;
            string set = batch > 1 ? $"prompt set {b}: " : "";
            if (boxes is not null)
            {
                float x0 = boxes[b, 0], y0 = boxes[b, 1], x1 = boxes[b, 2], y1 = boxes[b, 3];
                string text = $"{set}box [{F(x0)}, {F(y0)}, {F(x1)}, {F(y1)}]";
                CheckInside(text + " corner (x0, y0)", x0, y0, imageWidth, imageHeight);
                CheckInside(text + " corner (x1, y1)", x1, y1, imageWidth, imageHeight);
                if (x1 < x0 || y1 < y0) throw new PromptValidationException($"{text}: expected x0 <= x1 and y0 <= y1 (XYXY order)");
                Put(coords, outLabels, k++, x0, y0, 2, imageWidth, imageHeight, modelSize);
                Put(coords, outLabels, k++, x1, y1, 3, imageWidth, imageHeight, modelSize);
            }
            for (int i = 0; i < n; i++)
            {
                float x = points![b, i, 0], y = points[b, i, 1];
                int label = labels![b, i];
                string text = $"{set}point {i} ({F(x)}, {F(y)})";
                CheckInside(text, x, y, imageWidth, imageHeight);
                if (label is not (0 or 1)) throw new PromptValidationException($"{text}: label {label} must be 1 (foreground) or 0 (background)");
                Put(coords, outLabels, k++, x, y, label, imageWidth, imageHeight, modelSize);
            }
        }
        return new PromptPointSet(coords, outLabels, batch, perSet);
    }

    private static void Put(float[] coords, int[] labels, int index, float x, float y, int label, int w, int h, int size)
    {
        // Same float32 operation order as SAM2Transforms.transform_coords: (x / W) * S.
        coords[index * 2] = x / w * size;
        coords[index * 2 + 1] = y / h * size;
        labels[index] = label;
    }

    private static void CheckInside(string what, float x, float y, int w, int h)
    {
        if (!float.IsFinite(x) || !float.IsFinite(y)) throw new PromptValidationException($"{what}: coordinates must be finite numbers");
        if (x < 0 || y < 0 || x > w || y > h)
        {
            throw new PromptValidationException($"{what} is outside the {w}×{h} image (x must be in [0, {w}], y in [0, {h}])");
        }
    }

    private static string F(float v) => v.ToString("G", CultureInfo.InvariantCulture);
}
