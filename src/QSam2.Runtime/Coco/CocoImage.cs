namespace QSam2.Runtime.Coco;

/// <summary>
/// One entry of a COCO file's <c>images</c> array. <see cref="FileName"/> is as written in the file
/// (relative); <see cref="CocoDataset.ImagePath"/> gives the resolved path on disk.
/// </summary>
public sealed record CocoImage(long Id, string FileName, int Width, int Height);
