using System.Text;
using System.Text.Json;
using QSam2.Runtime.Coco;
using QSam2.Segmenter.Models;

namespace QSam2.Segmenter.Output;

/// <summary>
/// The JSON of a segment run, written with <see cref="Utf8JsonWriter"/> (no reflection: NativeAOT-safe). Each
/// <c>masks[i]</c> is shaped like a SAM2 automatic-mask-generator record: <c>segmentation</c> (COCO compressed RLE,
/// <c>{"size": [h, w], "counts": "..."}</c>, column-major as pycocotools), <c>bbox</c> (XYWH), <c>area</c>,
/// <c>predicted_iou</c>, and the prompt that produced it (<c>point_coords</c>, <c>point_labels</c>, <c>box</c> XYXY).
/// </summary>
public static class SegmentationJson
{
    public static string Write(string imagePath, int width, int height, SegmenterModel model, bool multimask,
        IReadOnlyList<SegmentedMask> masks, OutputNames names, bool withPngs)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("image", Path.GetFullPath(imagePath));
            w.WriteNumber("width", width);
            w.WriteNumber("height", height);
            w.WriteString("model", model.Name);
            w.WriteString("precision", model.Precision.ToString());
            w.WriteString("structure_hash", model.StructureHashHex);
            w.WriteBoolean("multimask", multimask);
            w.WriteStartArray("masks");
            foreach (var m in masks) WriteMask(w, m, names, withPngs);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteMask(Utf8JsonWriter w, SegmentedMask m, OutputNames names, bool withPngs)
    {
        w.WriteStartObject();
        w.WriteNumber("id", m.Id);
        w.WriteNumber("object", m.Object);
        w.WriteNumber("candidate", m.Candidate);
        if (withPngs) w.WriteString("file", names.Mask(m.Id));
        w.WriteStartObject("segmentation");
        w.WriteStartArray("size");
        w.WriteNumberValue(m.Height);
        w.WriteNumberValue(m.Width);
        w.WriteEndArray();
        w.WriteString("counts", Rle.ToCompressedString(m.Rle));
        w.WriteEndObject();
        var b = m.Bbox;
        w.WriteStartArray("bbox");
        w.WriteNumberValue(b.X);
        w.WriteNumberValue(b.Y);
        w.WriteNumberValue(b.Width);
        w.WriteNumberValue(b.Height);
        w.WriteEndArray();
        w.WriteNumber("area", m.Area);
        w.WriteNumber("predicted_iou", Math.Round(m.PredictedIou, 6));
        w.WriteStartArray("point_coords");
        foreach (var p in m.Prompt.Points)
        {
            w.WriteStartArray();
            w.WriteNumberValue(p.X);
            w.WriteNumberValue(p.Y);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteStartArray("point_labels");
        foreach (var p in m.Prompt.Points) w.WriteNumberValue(p.Label);
        w.WriteEndArray();
        if (m.Prompt.Box is { } box)
        {
            w.WriteStartArray("box");
            w.WriteNumberValue(box.X0);
            w.WriteNumberValue(box.Y0);
            w.WriteNumberValue(box.X1);
            w.WriteNumberValue(box.Y1);
            w.WriteEndArray();
        }
        else
        {
            w.WriteNull("box");
        }
        w.WriteEndObject();
    }
}
