using System.Runtime.InteropServices;
using SkiaSharp;

namespace QSam2.Runtime.Imaging;

/// <summary>Encodes a pixel buffer to PNG and writes it atomically (temporary file in the same folder, then rename).</summary>
internal static class PngFile
{
    public static void Write(string path, SKImageInfo info, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? ".";
        if (!Directory.Exists(directory)) throw new ImageFileException(path, $"output folder {directory} does not exist");

        byte[] png;
        var handle = GCHandle.Alloc(pixels, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var encoded = pixmap.Encode(SKPngEncoderOptions.Default)
                ?? throw new ImageFileException(path, "PNG encoding failed");
            png = encoded.ToArray();
        }
        finally
        {
            handle.Free();
        }

        // Same folder as the target so the rename is atomic on one file system.
        string temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(temp, png);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new ImageFileException(path, "cannot write PNG: " + e.Message, e);
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Best effort: the write already failed and that is the error we report.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
