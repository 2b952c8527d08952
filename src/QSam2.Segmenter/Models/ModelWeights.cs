using System.Reflection;

namespace QSam2.Segmenter.Models;

/// <summary>
/// Where a model's <c>.qsw</c> comes from: a manifest resource of the app (the shipped models) or a file (tests, and
/// weights supplied at run time). <see cref="Length"/> is null when the weights are absent.
/// </summary>
public sealed class ModelWeights
{
    private readonly Func<Stream?> _open;

    private ModelWeights(string name, long? length, Func<Stream?> open)
    {
        Name = name;
        Length = length;
        _open = open;
    }

    /// <summary>Name used in messages (resource name or file path).</summary>
    public string Name { get; }

    /// <summary>Size of the .qsw in bytes, or null when it is missing.</summary>
    public long? Length { get; }

    public bool IsAvailable => Length.HasValue;

    /// <summary>Opens the .qsw, or returns null when it is missing.</summary>
    public Stream? Open() => _open();

    /// <summary>A manifest resource of <paramref name="assembly"/>.</summary>
    public static ModelWeights Embedded(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        long? length;
        using (var probe = assembly.GetManifestResourceStream(resourceName))
        {
            length = probe?.Length;
        }
        return new ModelWeights("embedded " + resourceName, length, () => assembly.GetManifestResourceStream(resourceName));
    }

    /// <summary>A .qsw file on disk.</summary>
    public static ModelWeights FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var info = new FileInfo(path);
        return new ModelWeights(path, info.Exists ? info.Length : null, () => File.Exists(path) ? File.OpenRead(path) : null);
    }
}
