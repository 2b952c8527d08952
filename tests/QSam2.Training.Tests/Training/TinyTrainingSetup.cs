using QSam2.Runtime.Coco;
using QSam2.Runtime.Imaging;
using QSam2.Spec.Model;

namespace QSam2.Training.Tests.Training;

/// <summary>
/// A very small SAM2 (64² input, 8-channel Hiera, 16-wide decoder) and a tiny COCO dataset of flat-coloured
/// rectangles and disks, so training and evaluation tests run in seconds on one core.
/// </summary>
internal static class TinyTrainingSetup
{
    public static ArchSpec Spec() => new()
    {
        Name = "tiny-test",
        SamVersion = "2.1",
        ImageSize = 64,
        BackboneStride = 16,
        Trunk = new TrunkSpec
        {
            EmbedDim = 8,
            NumHeads = 1,
            Stages = new[] { 1, 1, 1, 1 },
            GlobalAttBlocks = new[] { 3 },
            WindowSpec = new[] { 4, 2, 2, 1 },
            WindowPosEmbedBkgSpatialSize = new[] { 4, 4 },
        },
        Neck = new NeckSpec { DModel = 16, BackboneChannelList = new[] { 64, 32, 16, 8 } },
        PromptEncoder = new PromptEncoderSpec { MaskInChans = 4 },
        MaskDecoder = new MaskDecoderSpec { TransformerNumHeads = 2, TransformerMlpDim = 32, IouHeadHiddenDim = 16 },
        MemoryAttention = new MemoryAttentionSpec { DModel = 16, NumLayers = 1, DimFeedforward = 32, KvInDim = 8 },
        MemoryEncoder = new MemoryEncoderSpec { InDim = 16, OutDim = 8, MaskDownsamplerEmbedDim = 16 },
    };

    /// <summary>Writes <paramref name="count"/> 64×64 images with 1–3 objects each (rectangles and disks) as a COCO folder.</summary>
    public static string CreateDataset(string dir, int count, int seed, int size = 64)
    {
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        var rng = new Random(seed);
        var categories = new[] { new CocoCategory(1, "rectangle"), new CocoCategory(2, "disk") };
        var images = new List<CocoImage>();
        var annotations = new List<CocoAnnotation>();
        for (int i = 0; i < count; i++)
        {
            var image = new CocoImage(i + 1, $"img{i:D4}.png", size, size);
            images.Add(image);
            var pixels = new byte[size * size * 3];
            var bg = new byte[] { (byte)rng.Next(0, 80), (byte)rng.Next(0, 80), (byte)rng.Next(0, 80) };
            for (int p = 0; p < size * size; p++) Array.Copy(bg, 0, pixels, p * 3, 3);
            int objects = 1 + rng.Next(3);
            for (int o = 0; o < objects; o++)
            {
                bool disk = rng.Next(2) == 0;
                int w = rng.Next(size / 6, size / 2), h = rng.Next(size / 6, size / 2);
                int x0 = rng.Next(0, size - w), y0 = rng.Next(0, size - h);
                var color = new byte[] { (byte)rng.Next(120, 256), (byte)rng.Next(120, 256), (byte)rng.Next(120, 256) };
                var mask = new byte[size * size];
                for (int y = y0; y < y0 + h; y++)
                    for (int x = x0; x < x0 + w; x++)
                    {
                        if (disk)
                        {
                            double dx = (x + 0.5 - (x0 + (w / 2.0))) / (w / 2.0), dy = (y + 0.5 - (y0 + (h / 2.0))) / (h / 2.0);
                            if ((dx * dx) + (dy * dy) > 1) continue;
                        }
                        mask[(y * size) + x] = 1;
                    }
                // Later objects occlude earlier ones: remove the overlap from the earlier masks.
                foreach (var a in annotations.Where(a => a.ImageId == image.Id).ToList())
                {
                    var old = a.DecodeMask();
                    bool changed = false;
                    for (int p = 0; p < old.Length; p++) if (old[p] != 0 && mask[p] != 0) { old[p] = 0; changed = true; }
                    if (!changed) continue;
                    annotations.Remove(a);
                    if (old.Any(v => v != 0)) annotations.Add(CocoAnnotation.FromMask(a.Id, image, a.CategoryId, old));
                }
                for (int p = 0; p < mask.Length; p++)
                    if (mask[p] != 0) Array.Copy(color, 0, pixels, p * 3, 3);
                annotations.Add(CocoAnnotation.FromMask((i * 10) + o + 1, image, disk ? 2 : 1, mask));
            }
            ImageCodec.SavePng(new RgbImage(size, size, pixels), Path.Combine(dir, "images", image.FileName));
        }
        CocoWriter.Write(Path.Combine(dir, CocoDataset.AnnotationsFileName), images, categories, annotations.OrderBy(a => a.Id).ToList());
        return dir;
    }

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "qsam2-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
