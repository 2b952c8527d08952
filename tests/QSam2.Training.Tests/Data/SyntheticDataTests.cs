using QSam2.Runtime.Coco;
using QSam2.Training.Data;
using SkiaSharp;

namespace QSam2.Training.Tests.Data;

public class SyntheticDataTests
{
    private const int Size = 64;

    [Fact]
    public void Render_IsDeterministicPerSeedAndIndex()
    {
        var a = SyntheticImageRenderer.Render(5, 3, Size);
        var b = SyntheticImageRenderer.Render(5, 3, Size);
        Assert.Equal(a.Rgb, b.Rgb);
        Assert.Equal(a.Objects.Select(o => o.Shape), b.Objects.Select(o => o.Shape));
        for (int k = 0; k < a.Objects.Count; k++)
        {
            Assert.Equal(a.Objects[k].Mask, b.Objects[k].Mask);
        }

        Assert.NotEqual(a.Rgb, SyntheticImageRenderer.Render(5, 4, Size).Rgb);
        Assert.NotEqual(a.Rgb, SyntheticImageRenderer.Render(6, 3, Size).Rgb);
    }

    [Fact]
    public void Render_MasksAreDisjointVisiblePartsAboveTheMinimumArea()
    {
        var shapes = new HashSet<SyntheticShape>();
        var sizes = new HashSet<(int, int)>();
        int withSeveral = 0;
        for (int index = 0; index < 40; index++)
        {
            var sample = SyntheticImageRenderer.Render(11, index, Size);
            sizes.Add((sample.Width, sample.Height));
            Assert.Equal(sample.Width * sample.Height * 3, sample.Rgb.Length);
            var owner = new int[sample.Width * sample.Height];
            foreach (var (obj, k) in sample.Objects.Select((o, k) => (o, k + 1)))
            {
                shapes.Add(obj.Shape);
                Assert.Equal(owner.Length, obj.Mask.Length);
                Assert.Equal(obj.Area, obj.Mask.Count(v => v == 1));
                Assert.True(obj.Area >= SyntheticImageRenderer.MinVisibleArea);
                Assert.All(obj.Mask, v => Assert.True(v <= 1));
                for (int i = 0; i < owner.Length; i++)
                {
                    if (obj.Mask[i] == 1)
                    {
                        Assert.True(owner[i] == 0, $"image {index}: pixel {i} belongs to objects {owner[i]} and {k}");
                        owner[i] = k;
                    }
                }
            }

            withSeveral += sample.Objects.Count >= 2 ? 1 : 0;
            // Not a flat image: some texture, gradient or noise everywhere.
            Assert.True(sample.Rgb.Distinct().Count() > 8);
        }

        Assert.Equal(Enum.GetValues<SyntheticShape>().ToHashSet(), shapes);
        Assert.Contains((Size, Size), sizes);
        Assert.Contains(sizes, s => s.Item1 != s.Item2);
        Assert.True(withSeveral >= 20, $"only {withSeveral} of 40 images have two or more objects");
    }

    [Fact]
    public void Render_ObjectsDifferFromTheirSurroundings()
    {
        // Over many objects the mean colour inside a visible mask differs from the mean colour of the
        // ring of pixels just outside it: the masks sit on what was drawn.
        int distinct = 0, total = 0;
        for (int index = 0; index < 20; index++)
        {
            var sample = SyntheticImageRenderer.Render(21, index, Size);
            foreach (var obj in sample.Objects)
            {
                var inside = Mean(sample, obj.Mask, i => obj.Mask[i] == 1);
                var border = Mean(sample, obj.Mask, i => obj.Mask[i] == 0 && TouchesMask(obj.Mask, sample.Width, sample.Height, i));
                if (inside is null || border is null)
                {
                    continue;
                }

                total++;
                double diff = Math.Abs(inside.Value.R - border.Value.R) + Math.Abs(inside.Value.G - border.Value.G) + Math.Abs(inside.Value.B - border.Value.B);
                distinct += diff > 6 ? 1 : 0;
            }
        }

        Assert.True(total > 30);
        Assert.True(distinct > total * 0.6, $"{distinct} of {total} objects stand out from their surroundings");
    }

    [Fact]
    public void Generate_IsByteIdenticalForASeed_AndReadsBackThroughCoco()
    {
        string dirA = Directory.CreateTempSubdirectory("qsam2-synth-a-").FullName;
        string dirB = Directory.CreateTempSubdirectory("qsam2-synth-b-").FullName;
        try
        {
            var summary = SyntheticDataset.Generate(dirA, 4, 99, Size);
            SyntheticDataset.Generate(dirB, 4, 99, Size);
            Assert.Equal(4, summary.Images);

            var filesA = Directory.GetFiles(dirA, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dirA, f)).Order().ToArray();
            var filesB = Directory.GetFiles(dirB, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dirB, f)).Order().ToArray();
            Assert.Equal(filesA, filesB);
            Assert.Equal(5, filesA.Length); // 4 PNGs + annotations.json, no temp files
            foreach (string f in filesA)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(dirA, f)), File.ReadAllBytes(Path.Combine(dirB, f)));
            }

            var dataset = CocoDataset.Load(dirA);
            Assert.Equal(SyntheticCategories.All, dataset.Categories);
            Assert.Equal(4, dataset.Images.Count);
            Assert.Equal(summary.Annotations, dataset.Annotations.Count);
            foreach (var image in dataset.Images)
            {
                var sample = SyntheticImageRenderer.Render(99, image.Id - 1, Size);
                Assert.Equal((sample.Width, sample.Height), (image.Width, image.Height));

                using var png = SKBitmap.Decode(dataset.ImagePath(image));
                Assert.Equal((image.Width, image.Height), (png.Width, png.Height));
                for (int i = 0; i < image.Width * image.Height; i += 37)
                {
                    var pixel = png.GetPixel(i % image.Width, i / image.Width);
                    Assert.Equal((sample.Rgb[i * 3], sample.Rgb[(i * 3) + 1], sample.Rgb[(i * 3) + 2]), (pixel.Red, pixel.Green, pixel.Blue));
                }

                var annotations = dataset.AnnotationsOf(image.Id);
                Assert.Equal(sample.Objects.Count, annotations.Count);
                for (int k = 0; k < annotations.Count; k++)
                {
                    var annotation = annotations[k];
                    Assert.Equal((long)sample.Objects[k].Shape, annotation.CategoryId);
                    Assert.Equal(sample.Objects[k].Mask, annotation.DecodeMask());
                    Assert.Equal(sample.Objects[k].Area, annotation.Area);
                    Assert.Equal(Rle.ToBbox(annotation.ToRle()), annotation.Bbox);
                    Assert.False(annotation.IsCrowd);
                }
            }
        }
        finally
        {
            Directory.Delete(dirA, recursive: true);
            Directory.Delete(dirB, recursive: true);
        }
    }

    [Fact]
    public void Generate_RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDataset.Generate(Path.GetTempPath(), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDataset.Generate(Path.GetTempPath(), 1, 1, imageSize: 8));
    }

    private static (double R, double G, double B)? Mean(SyntheticSample sample, byte[] mask, Func<int, bool> select)
    {
        double r = 0, g = 0, b = 0;
        int n = 0;
        for (int i = 0; i < mask.Length; i++)
        {
            if (select(i))
            {
                r += sample.Rgb[i * 3];
                g += sample.Rgb[(i * 3) + 1];
                b += sample.Rgb[(i * 3) + 2];
                n++;
            }
        }

        return n == 0 ? null : (r / n, g / n, b / n);
    }

    private static bool TouchesMask(byte[] mask, int width, int height, int i)
    {
        int x = i % width, y = i / width;
        for (int dy = -2; dy <= 2; dy++)
        {
            for (int dx = -2; dx <= 2; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if (nx >= 0 && ny >= 0 && nx < width && ny < height && mask[(ny * width) + nx] == 1)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
