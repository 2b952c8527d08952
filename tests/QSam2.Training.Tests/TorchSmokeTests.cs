using static TorchSharp.torch;

namespace QSam2.Training.Tests;

public class TorchSmokeTests
{
    [Fact]
    public void LibTorchLoadsAndComputes()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        Assert.Equal(14f, (a * a).sum().item<float>());
    }
}
