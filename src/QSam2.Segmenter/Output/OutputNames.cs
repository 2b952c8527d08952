namespace QSam2.Segmenter.Output;

/// <summary>
/// File names of one segment run, derived from the image's name so runs on several images can share a folder:
/// <c>&lt;stem&gt;_mask_&lt;i&gt;.png</c> (i = index in the JSON <c>masks</c> list), <c>&lt;stem&gt;_overlay.png</c> and
/// <c>&lt;stem&gt;_masks.json</c>.
/// </summary>
public sealed class OutputNames
{
    public OutputNames(string imagePath)
    {
        string stem = Path.GetFileNameWithoutExtension(imagePath);
        Stem = stem.Length == 0 ? "image" : stem;
    }

    public string Stem { get; }

    public string Mask(int id) => $"{Stem}_mask_{id}.png";

    public string Overlay => $"{Stem}_overlay.png";

    public string Json => $"{Stem}_masks.json";
}
