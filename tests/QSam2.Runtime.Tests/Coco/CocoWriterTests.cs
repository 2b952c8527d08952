using System.Collections.Immutable;
using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Tests.Coco;

public class CocoWriterTests
{
    private static CocoDataset BuildDataset(string root)
    {
        var wide = new CocoImage(1, "wide.png", 5, 4);
        var tall = new CocoImage(2, "tall.png", 3, 6);
        byte[] mask = { 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0 };
        var tallMask = new byte[18];
        tallMask[0] = tallMask[17] = 1;
        var annotations = new List<CocoAnnotation>
        {
            CocoAnnotation.FromMask(10, wide, 1, mask),
            CocoAnnotation.FromMask(11, tall, 2, tallMask, isCrowd: true),
            new()
            {
                Id = 12,
                Image = tall,
                CategoryId = 1,
                Segmentation = new CocoPolygonSegmentation(new[] { ImmutableArray.Create(0.5, 1.25, 2.0, 1.0, 2.0, 5.5) }),
                Bbox = new CocoBox(0.5, 1, 1.5, 4.5),
                Area = 1.5625,
            },
        };
        return new CocoDataset(new[] { wide, tall }, new[] { new CocoCategory(1, "a", "s"), new CocoCategory(2, "b") }, annotations, root);
    }

    [Fact]
    public void WrittenFile_ReadsBackToTheSameMasks()
    {
        using var folder = new TempFolder();
        folder.Write("images/wide.png", "x");
        folder.Write("images/tall.png", "x");
        var original = BuildDataset(folder.Path);
        CocoWriter.Write(folder.File("annotations.json"), original);

        var loaded = CocoDataset.Load(folder.Path);
        Assert.Equal(original.Images, loaded.Images);
        Assert.Equal(original.Categories, loaded.Categories);
        Assert.Equal(original.Annotations.Count, loaded.Annotations.Count);
        for (int i = 0; i < original.Annotations.Count; i++)
        {
            var a = original.Annotations[i];
            var b = loaded.Annotations[i];
            Assert.Equal(a.Id, b.Id);
            Assert.Equal(a.ImageId, b.ImageId);
            Assert.Equal(a.CategoryId, b.CategoryId);
            Assert.Equal(a.Bbox, b.Bbox);
            Assert.Equal(a.Area, b.Area);
            Assert.Equal(a.IsCrowd, b.IsCrowd);
            Assert.Equal(a.Segmentation.GetType(), b.Segmentation.GetType());
            Assert.Equal(a.DecodeMask(), b.DecodeMask());
        }

        // FromMask measured the box and area from the mask.
        Assert.Equal(new CocoBox(1, 1, 3, 2), loaded.Annotations[0].Bbox);
        Assert.Equal(5, loaded.Annotations[0].Area);
        Assert.Equal(new CocoBox(0, 0, 3, 6), loaded.Annotations[1].Bbox);

        // RLE is written compressed; this is the string worked out by hand in CocoReaderTests.
        Assert.Contains("\"counts\":\"52201O2\"", File.ReadAllText(folder.File("annotations.json")));
        Assert.Single(Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Fact]
    public void Output_IsDeterministic_AndReplacesAnExistingFile()
    {
        using var folder = new TempFolder();
        var dataset = BuildDataset(folder.Path);
        folder.Write("annotations.json", "old contents");
        CocoWriter.Write(folder.File("annotations.json"), dataset);
        byte[] first = File.ReadAllBytes(folder.File("annotations.json"));
        CocoWriter.Write(folder.File("again.json"), dataset);
        Assert.Equal(first, File.ReadAllBytes(folder.File("again.json")));
        Assert.DoesNotContain("old contents", File.ReadAllText(folder.File("annotations.json")));
    }

    [Fact]
    public void Dataset_RejectsAnnotationOfUnknownImage()
    {
        var stray = new CocoImage(9, "x.png", 2, 2);
        var annotation = CocoAnnotation.FromMask(1, stray, 1, new byte[4]);
        var e = Assert.Throws<ArgumentException>(() =>
            new CocoDataset(Array.Empty<CocoImage>(), new[] { new CocoCategory(1, "a") }, new[] { annotation }, "."));
        Assert.Contains("annotation 1", e.Message);
    }
}
