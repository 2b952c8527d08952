namespace QSam2.Runtime.Coco;

/// <summary>
/// A COCO annotation file (or one of the files it names) that cannot be used: malformed JSON, a missing
/// field, an annotation whose mask does not fit its image, an image file that is not there.
/// The message starts with the file path and names the record (<c>annotation 17</c>, <c>image 3</c>) so a
/// CLI can print it as one line and the user can find the record.
/// </summary>
public sealed class CocoFormatException : IOException
{
    /// <summary>The annotation file (or image file) at fault.</summary>
    public string FilePath { get; }

    /// <summary>The id of the annotation at fault, when the problem is inside one annotation.</summary>
    public long? AnnotationId { get; }

    public CocoFormatException(string filePath, string problem, long? annotationId = null, Exception? inner = null)
        : base($"{filePath}: {problem}", inner)
    {
        FilePath = filePath;
        AnnotationId = annotationId;
    }
}
