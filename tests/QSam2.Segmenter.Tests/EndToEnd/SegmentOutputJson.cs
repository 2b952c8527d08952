using System.Text.Json;
using QSam2.Runtime.Coco;

namespace QSam2.Segmenter.Tests.EndToEnd;

/// <summary>Reads back the JSON a segment run wrote (with System.Text.Json, independent of the writer).</summary>
internal sealed record SegmentOutputJson(int Width, int Height, string Model, IReadOnlyList<SegmentOutputJson.Mask> Masks)
{
    public sealed record Mask(int Id, int Object, int Candidate, string? File, int[] Size, string Counts, double[] Bbox, long Area, double PredictedIou, JsonElement Box)
    {
        /// <summary>The segmentation decoded by the runtime's pycocotools-compatible RLE (row-major 0/1).</summary>
        public byte[] Decode() => Rle.Decode(Rle.FromCompressedString(Counts, Size[0], Size[1]));
    }

    public static SegmentOutputJson Read(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var masks = root.GetProperty("masks").EnumerateArray().Select(m => new Mask(
            m.GetProperty("id").GetInt32(),
            m.GetProperty("object").GetInt32(),
            m.GetProperty("candidate").GetInt32(),
            m.TryGetProperty("file", out var f) ? f.GetString() : null,
            m.GetProperty("segmentation").GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            m.GetProperty("segmentation").GetProperty("counts").GetString()!,
            m.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            m.GetProperty("area").GetInt64(),
            m.GetProperty("predicted_iou").GetDouble(),
            m.GetProperty("box").Clone())).ToList();
        return new SegmentOutputJson(root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("model").GetString()!, masks);
    }
}
