using System.IO.Compression;
using QSam2.Runtime.Checkpoints;
using QSam2.Tests.Shared;

namespace QSam2.Runtime.Tests.Checkpoints;

public sealed class RoundTripTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Torch_zip_round_trip_is_bit_exact()
    {
        var sd = TestFiles.Synthetic();
        var path = _files.PathFor("synthetic.pt");
        CheckpointWriter.Write(path, sd);
        Assert.Equal(CheckpointFormat.TorchZip, CheckpointReader.DetectFormat(path));
        TestFiles.AssertBitEqual(sd, CheckpointReader.Read(path));
    }

    [Fact]
    public void Safetensors_round_trip_is_bit_exact()
    {
        var sd = TestFiles.Synthetic();
        var path = _files.PathFor("synthetic.safetensors");
        SafetensorsWriter.Write(path, sd);
        Assert.Equal(CheckpointFormat.Safetensors, CheckpointReader.DetectFormat(path));
        TestFiles.AssertBitEqual(sd, CheckpointReader.Read(path));
        TestFiles.AssertBitEqual(sd, SafetensorsReader.Read(path));
    }

    [Fact]
    public void Fixture_survives_pt_and_safetensors_round_trips()
    {
        var sd = CheckpointReader.Read(ReferenceFixture.A.CheckpointPath);
        var pt = _files.PathFor("fixture.pt");
        var st = _files.PathFor("fixture.safetensors");
        CheckpointWriter.Write(pt, sd);
        SafetensorsWriter.Write(st, CheckpointReader.Read(pt));
        TestFiles.AssertBitEqual(sd, CheckpointReader.Read(st));
    }

    [Fact]
    public void More_than_one_pickle_batch_of_keys_round_trips()
    {
        // Python pickles dict items in SETITEMS batches of 1000, and memo indices pass 255 (LONG_BINPUT).
        var sd = new StateDict(Enumerable.Range(0, 2001).Select(i => ($"layer.{i}.w", new TensorData([1], [i]))));
        var path = _files.PathFor("many.pt");
        CheckpointWriter.Write(path, sd);
        TestFiles.AssertBitEqual(sd, CheckpointReader.Read(path));
    }

    [Fact]
    public void Zip64_records_are_read_back()
    {
        var sd = TestFiles.Synthetic();
        var path = _files.PathFor("zip64.pt");
        using (var f = File.Create(path)) CheckpointWriter.Write(f, sd, "z64", forceZip64: true);
        using (var zip = ZipFile.OpenRead(path)) Assert.Contains(zip.Entries, e => e.FullName == "z64/data.pkl");
        TestFiles.AssertBitEqual(sd, CheckpointReader.Read(path));
    }

    [Fact]
    public void Writing_over_an_existing_file_replaces_it_and_leaves_no_temporary_files()
    {
        var path = _files.PathFor("over.pt");
        File.WriteAllText(path, "old");
        CheckpointWriter.Write(path, TestFiles.Synthetic());
        Assert.Equal(CheckpointFormat.TorchZip, CheckpointReader.DetectFormat(path));
        Assert.Single(Directory.GetFiles(_files.Dir));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_untouched()
    {
        var path = _files.PathFor("keep.safetensors");
        var sd = TestFiles.Synthetic();
        SafetensorsWriter.Write(path, sd);
        var before = File.ReadAllBytes(path);
        // A writer that fails midway: the target must not become a partial file.
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.Write(new byte[100]); throw new InvalidOperationException("boom"); }));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_files.Dir));
    }
}
