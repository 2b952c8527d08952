namespace QSam2.Segmenter.Output;

/// <summary>What <c>sam2seg segment --format</c> writes besides the overlay: mask PNGs, the JSON, or both.</summary>
[Flags]
public enum OutputFormat
{
    Png = 1,
    Json = 2,
    Both = Png | Json,
}

public static class OutputFormats
{
    public static readonly string[] Names = { "png", "json", "both" };

    public static OutputFormat Parse(string text) => text switch
    {
        "png" => OutputFormat.Png,
        "json" => OutputFormat.Json,
        "both" => OutputFormat.Both,
        _ => throw new UsageException($"--format '{text}': use png, json or both"),
    };
}
