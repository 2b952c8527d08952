using QSam2.Runtime.Coco;

namespace QSam2.Runtime.Tests.Coco;

public class CocoReaderTests
{
    // Image 1 is 5 wide × 4 high (non-square) and lives in images/; image 2 is 3×3 next to the JSON.
    private const string Images = """
        [{"id": 1, "file_name": "a.png", "width": 5, "height": 4},
         {"id": 2, "file_name": "b.png", "width": 3, "height": 3}]
        """;

    private const string Categories = """[{"id": 1, "name": "square", "supercategory": "shape"}, {"id": 2, "name": "blob"}]""";

    // Mask of annotation 10 (row-major, 4 high × 5 wide):
    //   0 0 0 0 0
    //   0 1 1 0 0
    //   0 1 1 1 0
    //   0 0 0 0 0
    // Column-major runs: bg 5, fg 2, bg 2, fg 2, bg 3, fg 1, bg 5. Compressed: 5,2,2 as is → "522";
    // then deltas 2-2=0 → '0', 3-2=1 → '1', 1-2=-1 → 31+48='O', 5-3=2 → '2'.
    private static readonly byte[] Mask10 =
    {
        0, 0, 0, 0, 0,
        0, 1, 1, 0, 0,
        0, 1, 1, 1, 0,
        0, 0, 0, 0, 0,
    };

    private const string GoodAnnotations = """
        [{"id": 10, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": "52201O2"},
          "area": 5, "bbox": [1, 1, 3, 2], "iscrowd": 0},
         {"id": 11, "image_id": 1, "category_id": 2, "segmentation": {"size": [4, 5], "counts": [0, 1, 19]},
          "area": 1, "bbox": [0, 0, 1, 1], "iscrowd": 1},
         {"id": 12, "image_id": 2, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, 2, 0, 2]]},
         {"id": 13, "image_id": 2, "category_id": 2, "segmentation": [[0, 2, 1, 2, 1, 3, 0, 3], [2, 0, 3, 0, 3, 3, 2, 3]],
          "area": 4.0, "bbox": [0, 0, 3, 3], "iscrowd": false}]
        """;

    private static TempFolder MakeDataset(string annotations, string images = Images, string categories = Categories)
    {
        var folder = new TempFolder();
        folder.Write("images/a.png", "not decoded by the reader");
        folder.Write("b.png", "not decoded by the reader");
        folder.Write("annotations.json", $$"""{"info": {"year": 2024}, "images": {{images}}, "categories": {{categories}}, "annotations": {{annotations}}}""");
        return folder;
    }

    [Fact]
    public void Load_ReadsAllSegmentationKinds()
    {
        using var folder = MakeDataset(GoodAnnotations);
        var dataset = CocoDataset.Load(folder.Path);

        Assert.Equal(2, dataset.Images.Count);
        Assert.Equal(new CocoImage(1, "a.png", 5, 4), dataset.GetImage(1));
        Assert.Equal(folder.File("images/a.png"), dataset.ImagePath(dataset.GetImage(1)));
        Assert.Equal(folder.File("b.png"), dataset.ImagePath(dataset.GetImage(2)));
        Assert.Equal(new CocoCategory(1, "square", "shape"), dataset.GetCategory(1));
        Assert.Null(dataset.GetCategory(2).Supercategory);

        var a10 = dataset.Annotations.Single(a => a.Id == 10);
        Assert.IsType<CocoRleSegmentation>(a10.Segmentation);
        Assert.Equal(Mask10, a10.DecodeMask());
        Assert.Equal(new CocoBox(1, 1, 3, 2), a10.Bbox);
        Assert.Equal(Rle.ToBbox(a10.ToRle()), a10.Bbox);
        Assert.False(a10.IsCrowd);

        var a11 = dataset.Annotations.Single(a => a.Id == 11);
        var expected11 = new byte[20];
        expected11[0] = 1;
        Assert.Equal(expected11, a11.DecodeMask());
        Assert.True(a11.IsCrowd);

        // Polygon without bbox/area: both measured from the rasterized mask.
        var a12 = dataset.Annotations.Single(a => a.Id == 12);
        Assert.Equal(new byte[] { 1, 1, 0, 1, 1, 0, 0, 0, 0 }, a12.DecodeMask());
        Assert.Equal(4, a12.Area);
        Assert.Equal(new CocoBox(0, 0, 2, 2), a12.Bbox);

        // Two polygons: pixel (0,2) and column 2.
        var a13 = dataset.Annotations.Single(a => a.Id == 13);
        Assert.Equal(new byte[] { 0, 0, 1, 0, 0, 1, 1, 0, 1 }, a13.DecodeMask());
        Assert.False(a13.IsCrowd);

        Assert.Equal(new long[] { 10, 11 }, dataset.AnnotationsOf(1).Select(a => a.Id));
        Assert.Equal(new long[] { 12, 13 }, dataset.AnnotationsOf(2).Select(a => a.Id));
        Assert.Empty(dataset.AnnotationsOf(3));
    }

    [Fact]
    public void Load_AcceptsAnAnnotationFilePath()
    {
        using var folder = MakeDataset(GoodAnnotations);
        var dataset = CocoDataset.Load(folder.File("annotations.json"));
        Assert.Equal(4, dataset.Annotations.Count);
        Assert.Equal(folder.File("annotations.json"), dataset.AnnotationsPath);
    }

    public static TheoryData<string, long, string> BadAnnotations => new()
    {
        { """{"id": 21, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": [1, 2]}}""", 21, "sum to 3" },
        { """{"id": 22, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": "52"}}""", 22, "sum to 7" },
        { """{"id": 23, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 9, 0, 4, 3]]}""", 23, "outside" },
        { """{"id": 24, "image_id": 99, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, 2]]}""", 24, "image_id 99" },
        { """{"id": 25, "image_id": 1, "category_id": 1, "segmentation": {"size": [5, 4], "counts": [20]}}""", 25, "does not match image 1" },
        { """{"id": 26, "image_id": 1, "category_id": 7, "segmentation": [[0, 0, 2, 0, 2, 2]]}""", 26, "category_id 7" },
        { """{"id": 27, "image_id": 1, "category_id": 1, "segmentation": {"size": [4, 5], "counts": "52x"}}""", 27, "character 2" },
        { """{"id": 28, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 2, 0]]}""", 28, "4 coordinates" },
        { """{"id": 29, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, -3]]}""", 29, "y = -3" },
        { """{"id": 30, "image_id": 1, "category_id": 1}""", 30, "segmentation" },
        { """{"id": 31, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, 2]], "bbox": [1, 2]}""", 31, "bbox" },
        { """{"id": 10, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, 2]]}""", 10, "twice" },
    };

    [Theory]
    [MemberData(nameof(BadAnnotations))]
    public void Load_RejectsBadAnnotation_NamingFileAndId(string annotation, long id, string expected)
    {
        string annotations = GoodAnnotations.TrimEnd().TrimEnd(']') + ", " + annotation + "]";
        using var folder = MakeDataset(annotations);
        var e = Assert.Throws<CocoFormatException>(() => CocoDataset.Load(folder.Path));
        Assert.Equal(id, e.AnnotationId);
        Assert.StartsWith(folder.File("annotations.json") + ": annotation " + id + ":", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Load_RejectsMissingImageFile()
    {
        string images = Images.TrimEnd().TrimEnd(']') + """, {"id": 3, "file_name": "gone.png", "width": 2, "height": 2}]""";
        using var folder = MakeDataset(GoodAnnotations, images);
        var e = Assert.Throws<CocoFormatException>(() => CocoDataset.Load(folder.Path));
        Assert.Contains("image 3", e.Message);
        Assert.Contains("gone.png", e.Message);
        Assert.StartsWith(folder.File("annotations.json"), e.Message);
    }

    [Fact]
    public void Load_RejectsMalformedJson_WithLine()
    {
        using var folder = new TempFolder();
        folder.Write("annotations.json", "{\"images\": [],\n \"annotations\": [,\n\"categories\": []}");
        var e = Assert.Throws<CocoFormatException>(() => CocoDataset.Load(folder.Path));
        Assert.Contains("malformed JSON at line 2", e.Message);
    }

    [Fact]
    public void Load_RejectsMissingSectionsAndFile()
    {
        using var folder = new TempFolder();
        folder.Write("annotations.json", """{"images": [], "annotations": []}""");
        Assert.Contains("'categories'", Assert.Throws<CocoFormatException>(() => CocoDataset.Load(folder.Path)).Message);
        Assert.Throws<CocoFormatException>(() => CocoDataset.Load(folder.File("nope/annotations.json")));
    }
}
