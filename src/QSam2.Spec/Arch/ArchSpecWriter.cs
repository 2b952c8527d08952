using QSam2.Spec.Json;
using QSam2.Spec.Model;

namespace QSam2.Spec.Arch;

/// <summary>Writes an <see cref="ArchSpec"/> as <c>*.arch.json</c> text (every field, schema order); reading it back gives an equal record.</summary>
public static class ArchSpecWriter
{
    public static string ToJson(ArchSpec spec)
    {
        var w = new JsonTextWriter();
        ArchSchema.Root.Write(spec, w, null);
        return w.ToString();
    }
}
