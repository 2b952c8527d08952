namespace QSam2.Training.Evaluation;

/// <summary>The prompt protocol of an evaluation run (<c>qsam2 eval --prompt</c>).</summary>
public enum EvalPromptKind
{
    /// <summary>The object's tight box; single-mask output.</summary>
    Box,

    /// <summary>One positive click at the object's most interior pixel; multimask output, highest predicted IoU kept.</summary>
    Point,

    /// <summary>Three positive clicks spread over the object's interior; single-mask output.</summary>
    Points3,
}

public static class EvalPromptKinds
{
    /// <summary>Parses the CLI spelling (<c>box</c>, <c>point</c>, <c>points3</c>).</summary>
    public static EvalPromptKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "box" => EvalPromptKind.Box,
        "point" => EvalPromptKind.Point,
        "points3" => EvalPromptKind.Points3,
        _ => throw new ArgumentException($"--prompt: '{text}' is not one of box, point, points3"),
    };

    public static string Name(this EvalPromptKind kind) => kind switch
    {
        EvalPromptKind.Box => "box",
        EvalPromptKind.Point => "point",
        EvalPromptKind.Points3 => "points3",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>SAM's convention: ask for three candidates only for a single click (ambiguous prompt).</summary>
    public static bool UsesMultimask(this EvalPromptKind kind) => kind == EvalPromptKind.Point;
}
