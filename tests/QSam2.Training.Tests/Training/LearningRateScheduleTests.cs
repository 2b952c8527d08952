using QSam2.Training.Training;

namespace QSam2.Training.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void WarmsUpLinearlyThenDecaysByCosineToTheFloor()
    {
        var s = new LearningRateSchedule(1e-3, WarmupSteps: 10, TotalSteps: 110, FinalFraction: 0.1);
        Assert.Equal(1e-4, s.At(0), 12);
        Assert.Equal(5e-4, s.At(4), 12);
        Assert.Equal(1e-3, s.At(10), 12);
        // Half-way through the decay the cosine is at its midpoint.
        Assert.Equal(1e-4 + (0.9e-3 * 0.5), s.At(60), 12);
        Assert.Equal(1e-4, s.At(110), 12);
        Assert.Equal(1e-4, s.At(500), 12);
        for (long i = 11; i < 110; i++) Assert.True(s.At(i) <= s.At(i - 1));
    }
}
