using System.Buffers.Binary;

namespace QSam2.Runtime.Checkpoints;

/// <summary>Tells the checkpoint formats apart by their first bytes, with a specific error for look-alikes.</summary>
internal static class CheckpointFormatDetector
{
    public static CheckpointFormat Detect(string path, Stream stream)
    {
        Span<byte> head = stackalloc byte[9];
        stream.Position = 0;
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..n];
        stream.Position = 0;

        if (n == 0) throw new CheckpointFormatException(path, "file is empty");
        // Local file header, or the end-of-central-directory record of an empty archive.
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8)) return CheckpointFormat.TorchZip;
        if (n == 9 && head[8] == (byte)'{')
        {
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(head);
            if (headerLength >= 2 && headerLength <= (ulong)(stream.Length - 8)) return CheckpointFormat.Safetensors;
            throw new CheckpointFormatException(path, $"looks like safetensors but its header length {headerLength} does not fit the {stream.Length}-byte file (truncated?)");
        }
        if (head[0] == 0x80 && n > 1 && head[1] <= 5)
            throw new CheckpointFormatException(path, "is a legacy (pre-zip, torch < 1.6 or _use_new_zipfile_serialization=False) torch.save pickle; re-save it with a current PyTorch");
        throw new CheckpointFormatException(path, "is neither a PyTorch zip checkpoint (starts with 'PK\\x03\\x04') nor a safetensors file");
    }
}
