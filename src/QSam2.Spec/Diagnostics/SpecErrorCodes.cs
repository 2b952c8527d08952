namespace QSam2.Spec.Diagnostics;

/// <summary>
/// Stable error codes for spec problems. The Roslyn generator reports them as diagnostic ids located in the
/// spec file, so never renumber a code; add new ones at the end of their range.
/// QS00xx: reading (JSON syntax, schema binding, files); QS01xx: architecture validation.
/// </summary>
public static class SpecErrorCodes
{
    /// <summary>The text is not valid JSON.</summary>
    public const string JsonSyntax = "QS0001";

    /// <summary>An object has a field the schema does not define.</summary>
    public const string UnknownField = "QS0002";

    /// <summary>A field has the wrong JSON type (e.g. a string where an integer is expected).</summary>
    public const string WrongType = "QS0003";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "QS0004";

    /// <summary>The same field appears twice in one object.</summary>
    public const string DuplicateField = "QS0005";

    /// <summary>The spec file cannot be read.</summary>
    public const string FileUnreadable = "QS0006";

    /// <summary>The spec's <c>name</c> does not match its file name.</summary>
    public const string NameMismatch = "QS0007";

    /// <summary>A single value is out of its allowed range or set (negative size, unknown enum text, ...).</summary>
    public const string InvalidValue = "QS0101";

    /// <summary>Values that are fine alone contradict each other (channel list vs trunk, heads vs dims, ...).</summary>
    public const string InconsistentArchitecture = "QS0102";

    /// <summary>The architecture cannot run at the configured image size (window/map/stride mismatches).</summary>
    public const string ImageSizeMismatch = "QS0103";

    /// <summary>A global-attention block is also a q-pool block (the reference divides by zero there).</summary>
    public const string GlobalQPoolBlock = "QS0104";

    /// <summary>A feature the official SAM2 code has but this project does not implement.</summary>
    public const string Unsupported = "QS0105";
}
