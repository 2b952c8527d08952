using QSam2.Runtime.Checkpoints;
using QSam2.Segmenter.Models;
using QSam2.Segmenter.Tests.Infrastructure;
using QSam2.Spec.Quant.Qsw;
using QSam2.Tests.Shared;

namespace QSam2.Segmenter.Tests.Models;

public class Fp32QswPackerTests
{
    [Fact]
    public void PackedFileHoldsExactlyTheLayoutTensorsWithTheCheckpointValues()
    {
        var state = CheckpointReader.Read(ReferenceFixture.A.CheckpointPath);
        var bytes = Fp32QswPacker.Pack(state, FixtureASegmenter.QswLayout, "ckpt");
        var file = QswReader.Read(bytes, "packed", FixtureASegmenter.QswLayout);
        Assert.Equal(FixtureASegmenter.QswLayout.Tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
        Assert.True(file.Tensors.Count < state.Count); // the video-only tensors are left out
        foreach (var t in file.Tensors)
        {
            Assert.Equal(state[t.Name].Data, file.Float32(t.Name));
        }
    }

    [Fact]
    public void MissingOrMisshapenTensorsNameTheCheckpointAndTensor()
    {
        var state = CheckpointReader.Read(ReferenceFixture.A.CheckpointPath);
        var first = FixtureASegmenter.QswLayout.Tensors[0].Name;
        var without = new StateDict(state.Where(p => p.Key != first));
        var e = Assert.Throws<UsageException>(() => Fp32QswPacker.Pack(without, FixtureASegmenter.QswLayout, "ckpt.pt"));
        Assert.StartsWith($"ckpt.pt: tensor {first} is missing", e.Message);

        var reshaped = new StateDict(state.Select(p => p.Key == first
            ? new KeyValuePair<string, TensorData>(p.Key, new TensorData(new[] { p.Value.Data.Length }, p.Value.Data))
            : p));
        e = Assert.Throws<UsageException>(() => Fp32QswPacker.Pack(reshaped, FixtureASegmenter.QswLayout, "ckpt.pt"));
        Assert.Contains($"tensor {first} has shape", e.Message);
    }
}
