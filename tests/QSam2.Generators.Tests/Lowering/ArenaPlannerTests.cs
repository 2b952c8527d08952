extern alias gen;
using gen::QSam2.Generators.Lowering;
using Buffer = gen::QSam2.Generators.Lowering.Buffer;

namespace QSam2.Generators.Tests.Lowering;

public class ArenaPlannerTests
{
    [Fact]
    public void RandomPrograms_NeverOverlapLiveBuffers_AndReuseDeadOnes()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            var buffers = new List<Buffer>();
            int steps = rng.Next(5, 60);
            for (int i = 0; i < rng.Next(2, 40); i++)
            {
                int first = rng.Next(steps);
                buffers.Add(new Buffer(i, "b" + i, 64L * rng.Next(1, 100), persistent: rng.Next(10) == 0) { First = first, Last = Math.Min(steps, first + rng.Next(0, 10)) });
            }
            long total = ArenaPlanner.Plan(buffers, steps);
            Assert.True(ArenaPlanner.IsValid(buffers));
            Assert.All(buffers, b => Assert.True(b.Offset % 64 == 0 && b.Offset + b.Bytes <= total));
            Assert.True(total <= buffers.Sum(b => b.Bytes));
            // Never worse than the largest set of simultaneously live buffers by more than the greedy's known slack.
            long peak = Enumerable.Range(0, steps + 1).Max(s => buffers.Where(b => b.First <= s && s <= b.Last).Sum(b => b.Bytes));
            Assert.True(total >= peak);
        }
    }

    [Fact]
    public void SequentialBuffers_ShareMemory()
    {
        var a = new Buffer(0, "a", 1024, false) { First = 0, Last = 1 };
        var b = new Buffer(1, "b", 1024, false) { First = 2, Last = 3 };
        var c = new Buffer(2, "c", 512, true) { First = 1, Last = 1 };
        long total = ArenaPlanner.Plan(new[] { a, b, c }, 4);
        Assert.Equal(a.Offset, b.Offset);
        Assert.Equal(1536, total);
        Assert.Equal(4, c.Last);
    }
}
