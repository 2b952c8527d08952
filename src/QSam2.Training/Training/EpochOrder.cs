namespace QSam2.Training.Training;

/// <summary>
/// Deterministic randomness of a run: the image order of each epoch and the generator of each step are pure
/// functions of (seed, epoch) and (seed, step). A resumed run therefore sees exactly the images and prompts an
/// uninterrupted run would, without saving generator state.
/// </summary>
public static class EpochOrder
{
    /// <summary>A permutation of 0..count-1 for <paramref name="epoch"/> (Fisher–Yates with a derived seed).</summary>
    public static int[] Permutation(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        var rng = new Random(Mix(seed, 0x45504F43, epoch));
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>The generator used for object and prompt sampling at optimizer step <paramref name="step"/>.</summary>
    public static Random StepRandom(int seed, long step) => new(Mix(seed, 0x53544550, step));

    // SplitMix64-style mixing so nearby seeds/steps give unrelated streams; System.Random(int) is stable across runs.
    private static int Mix(int seed, int salt, long value)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)salt << 32 ^ (ulong)value);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
