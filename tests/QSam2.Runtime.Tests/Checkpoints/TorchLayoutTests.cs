using System.Buffers.Binary;
using System.IO.Compression;
using QSam2.Runtime.Checkpoints;
using QSam2.Runtime.Checkpoints.Pickle;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Checkpoints;

/// <summary>What CheckpointWriter produces must be what torch.save produces, so torch.load(weights_only=True) reads it.</summary>
public sealed class TorchLayoutTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static byte[] Entry(ZipArchive zip, string name)
    {
        var e = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"no entry {name}");
        using var s = e.Open();
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Written_pickle_equals_torch_save_output_for_the_fixture()
    {
        // fixture-a's data.pkl came from torch 1.13's torch.save({"model": state_dict}). Ours must be the
        // same bytes up to the end of the state dict items; torch then attaches nn.Module `_metadata`
        // (BUILD) where we close the dict directly.
        var sd = CheckpointReader.Read(ReferenceFixture.A.CheckpointPath);
        byte[] torchPickle;
        using (var zip = ZipFile.OpenRead(ReferenceFixture.A.CheckpointPath)) torchPickle = Entry(zip, "checkpoint/data.pkl");
        var path = _files.PathFor("fixture.pt");
        CheckpointWriter.Write(path, sd);
        byte[] ours;
        using (var zip = ZipFile.OpenRead(path)) ours = Entry(zip, "archive/data.pkl");

        int itemsEnd = ours.Length - 2; // ours ends with SETITEM, STOP
        Assert.Equal("s."u8.ToArray(), ours[itemsEnd..]);
        Assert.Equal((byte)'u', ours[itemsEnd - 1]); // SETITEMS closing the OrderedDict items
        Assert.Equal(torchPickle[..itemsEnd], ours[..itemsEnd]);
        Assert.Equal("_metadata"u8.ToArray(), torchPickle[(itemsEnd + 11)..(itemsEnd + 20)]); // EMPTY_DICT, LONG_BINPUT, BINUNICODE header, then the name
    }

    [Fact]
    public void Zip_entries_are_stored_64_byte_aligned_in_torch_order()
    {
        var sd = new StateDict(Enumerable.Range(0, 12).Select(i => ($"p{i}", new TensorData([i + 1], new float[i + 1]))));
        var path = _files.PathFor("layout.pt");
        CheckpointWriter.Write(path, sd);
        var bytes = File.ReadAllBytes(path);
        using var zip = ZipFile.OpenRead(path);
        var names = zip.Entries.Select(e => e.FullName).ToList();
        var dataNames = Enumerable.Range(0, 12).Select(i => i.ToString()).OrderBy(s => s, StringComparer.Ordinal).Select(k => $"archive/data/{k}");
        Assert.Equal(["archive/data.pkl", "archive/byteorder", .. dataNames, "archive/version"], names);
        Assert.Equal("3\n"u8.ToArray(), Entry(zip, "archive/version"));
        Assert.Equal("little"u8.ToArray(), Entry(zip, "archive/byteorder"));
        Assert.Equal(4 * 11, Entry(zip, "archive/data/10").Length); // tensor p10 owns storage "10"

        // Walk the local headers: stored (method 0) and every data start on a 64-byte boundary.
        int pos = 0, count = 0;
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos)) == 0x04034b50)
        {
            Assert.Equal(0, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 8)));
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 22));
            int nameLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 26));
            int extraLen = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(pos + 28));
            int dataStart = pos + 30 + nameLen + extraLen;
            Assert.Equal(0, dataStart % 64);
            Assert.Equal("FB"u8.ToArray(), bytes[(pos + 30 + nameLen)..(pos + 32 + nameLen)]);
            pos = dataStart + size;
            count++;
        }
        Assert.Equal(names.Count, count);
    }

    [Fact]
    public void Written_pickle_is_read_by_the_restricted_unpickler_as_torch_structure()
    {
        var sd = TestFiles.Synthetic();
        var path = _files.PathFor("structure.pt");
        CheckpointWriter.Write(path, sd);
        byte[] pkl;
        using (var zip = ZipFile.OpenRead(path)) pkl = Entry(zip, "archive/data.pkl");
        var top = Assert.IsType<PyDict>(RestrictedUnpickler.Load(pkl, path, "data.pkl"));
        var (key, model) = Assert.Single(top.Items);
        Assert.Equal("model", key);
        var items = Assert.IsType<PyDict>(model).Items;
        Assert.Equal(sd.Keys, items.Select(p => (string)p.Key));
        for (int i = 0; i < items.Count; i++)
        {
            var t = Assert.IsType<TensorRef>(items[i].Value);
            Assert.Equal(new StorageRef(i.ToString(), "torch.FloatStorage", "cpu", sd.At(i).Value.ElementCount), t.Storage);
            Assert.Equal(0, t.Offset);
            Assert.Equal(sd.At(i).Value.LongShape, t.Size);
        }
        // torch's contiguous strides treat size-0 and size-1 dimensions as size 1
        Assert.Equal([3L, 1L], ((TensorRef)items[sd.IndexOf("empty")].Value!).Stride);
        Assert.Equal([5L, 5L, 1L], ((TensorRef)items[sd.IndexOf("unit.dims")].Value!).Stride);
        Assert.Equal([257L, 1L], ((TensorRef)items[sd.IndexOf("big")].Value!).Stride);
    }
}
