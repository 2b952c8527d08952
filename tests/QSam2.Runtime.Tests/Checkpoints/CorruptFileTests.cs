using System.Buffers.Binary;
using System.Text;
using QSam2.Runtime.Checkpoints;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>Damaged or foreign files are refused with a message naming the file and the problem.</summary>
public sealed class CorruptFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static byte[] Fixture() => File.ReadAllBytes(ReferenceFixture.A.CheckpointPath);

    private CheckpointFormatException Refused(string name, byte[] bytes)
    {
        var path = _files.WriteBytes(name, bytes);
        var ex = Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ": ", ex.Message);
        return ex;
    }

    [Fact]
    public void Truncated_zip_is_refused()
    {
        var bytes = Fixture();
        var ex = Refused("truncated.pt", bytes[..(bytes.Length / 2)]);
        Assert.Contains("zip", ex.Problem);
    }

    [Fact]
    public void Flipped_byte_in_the_zip_directory_is_refused()
    {
        var bytes = Fixture();
        // torch wrote a zip64 end record; it holds the offset of the first central directory header.
        int end64 = bytes.AsSpan().LastIndexOf("PK\x06\x06"u8);
        int cd = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(end64 + 48));
        Assert.Equal("PK\x01\x02"u8.ToArray(), bytes[cd..(cd + 4)]);
        bytes[cd + 2] ^= 0xff;
        Refused("flipped-directory.pt", bytes);
    }

    [Fact]
    public void Flipped_byte_in_a_stored_tensor_is_caught_by_the_crc()
    {
        var bytes = Fixture();
        bytes[0x108c0] ^= 0x01; // first byte of checkpoint/data/0 (maskmem_tpos_enc)
        var ex = Refused("flipped-data.pt", bytes);
        Assert.Contains("checkpoint/data/0", ex.Problem);
        Assert.Contains("CRC", ex.Problem);
    }

    [Fact]
    public void Flipped_byte_in_a_directory_offset_is_refused()
    {
        var bytes = Fixture();
        int cd = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.AsSpan().LastIndexOf("PK\x06\x06"u8) + 48));
        Assert.Equal("PK\x01\x02"u8.ToArray(), bytes[cd..(cd + 4)]);
        bytes[cd + 42] ^= 0x10; // local header offset of the first entry
        Refused("flipped-offset.pt", bytes);
    }

    [Fact]
    public void Text_file_is_refused_as_unknown_format()
    {
        var ex = Refused("notes.pt", Encoding.UTF8.GetBytes("these are not weights\n"));
        Assert.Contains("neither a PyTorch zip checkpoint", ex.Problem);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        Assert.Contains("empty", Refused("empty.pt", []).Problem);
    }

    [Fact]
    public void Legacy_pickle_checkpoint_is_refused_with_advice()
    {
        Assert.Contains("legacy", Refused("legacy.pt", [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]).Problem);
    }

    [Fact]
    public void Zip_without_data_pkl_is_refused()
    {
        var path = _files.PathFor("plain.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            using (var s = zip.CreateEntry("readme.txt").Open()) s.Write("hi"u8);
        Assert.Contains("data.pkl", Assert.Throws<CheckpointFormatException>(() => CheckpointReader.Read(path)).Problem);
    }

    [Fact]
    public void Truncated_safetensors_is_refused()
    {
        var path = _files.PathFor("ok.safetensors");
        SafetensorsWriter.Write(path, TestFiles.Synthetic());
        var bytes = File.ReadAllBytes(path);
        Assert.Contains("truncated", Refused("cut.safetensors", bytes[..^10]).Problem);
    }

    [Fact]
    public void Safetensors_with_another_dtype_is_refused_naming_the_tensor()
    {
        var header = Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}");
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        var ex = Refused("half.safetensors", bytes);
        Assert.Contains("'w'", ex.Problem);
        Assert.Contains("F16", ex.Problem);
    }

    [Fact]
    public void Safetensors_with_overlapping_tensors_is_refused()
    {
        var header = Encoding.UTF8.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}");
        var bytes = new byte[8 + header.Length + 12];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        Assert.Contains("'b'", Refused("overlap.safetensors", bytes).Problem);
    }
}
