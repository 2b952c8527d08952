namespace QSam2.Runtime.Coco;

/// <summary>One entry of a COCO file's <c>categories</c> array.</summary>
public sealed record CocoCategory(long Id, string Name, string? Supercategory = null);
