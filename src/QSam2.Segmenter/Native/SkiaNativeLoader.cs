using System.Reflection;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace QSam2.Segmenter.Native;

/// <summary>
/// Makes the NativeAOT sam2seg a single file: the AOT publish embeds SkiaSharp's native library as the manifest
/// resource <c>native/libSkiaSharp.so</c> (see the csproj), and this resolver loads it for SkiaSharp's P/Invokes.
/// Order: a <c>libSkiaSharp.so</c> beside the executable; else the embedded copy, extracted once per SkiaSharp
/// version into <c>$XDG_CACHE_HOME/sam2seg</c> (or <c>~/.cache</c>, or the temp folder) by write-then-rename; else the
/// runtime's own probing (JIT builds, which carry the library in <c>runtimes/</c> and embed nothing).
/// </summary>
public static class SkiaNativeLoader
{
    public const string ResourceName = "native/libSkiaSharp.so";
    private const string LibraryName = "libSkiaSharp";

    /// <summary>Installs the resolver; call before the first SkiaSharp use. Does nothing when nothing is embedded.</summary>
    public static void Register()
    {
        if (typeof(SkiaNativeLoader).Assembly.GetManifestResourceInfo(ResourceName) is null) return;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SKBitmap).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // SkiaSharp installed its own resolver: it knows best where its library is.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!name.StartsWith(LibraryName, StringComparison.Ordinal)) return IntPtr.Zero;
        string beside = Path.Combine(AppContext.BaseDirectory, LibraryName + ".so");
        if (File.Exists(beside) && NativeLibrary.TryLoad(beside, out var local)) return local;
        string? extracted = Extract();
        return extracted != null && NativeLibrary.TryLoad(extracted, out var handle) ? handle : IntPtr.Zero;
    }

    /// <summary>The path of an extracted copy of the embedded library, or null when it cannot be written anywhere.</summary>
    private static string? Extract()
    {
        using var resource = typeof(SkiaNativeLoader).Assembly.GetManifestResourceStream(ResourceName);
        if (resource is null) return null;
        string version = typeof(SKBitmap).Assembly.GetName().Version?.ToString() ?? "unknown";
        foreach (var root in CacheRoots())
        {
            try
            {
                string dir = Path.Combine(root, "sam2seg", $"skiasharp-{version}-{resource.Length}");
                string path = Path.Combine(dir, LibraryName + ".so");
                if (File.Exists(path) && new FileInfo(path).Length == resource.Length) return path;
                Directory.CreateDirectory(dir);
                string temp = Path.Combine(dir, $".{LibraryName}.{Environment.ProcessId}.tmp");
                using (var file = File.Create(temp))
                {
                    resource.Position = 0;
                    resource.CopyTo(file);
                }
                File.Move(temp, path, overwrite: true);
                return path;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not writable here: try the next place.
            }
        }
        return null;
    }

    private static IEnumerable<string> CacheRoots()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrEmpty(xdg)) yield return xdg;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home)) yield return Path.Combine(home, ".cache");
        yield return Path.GetTempPath();
    }
}
