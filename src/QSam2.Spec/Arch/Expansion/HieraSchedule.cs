using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// Derives the Hiera block schedule exactly as <c>Hiera.__init__</c> does (sam2-architecture.md §1.1):
/// stage ends, q-pool blocks, per-block dims/heads (changed by the first block of each new stage), window
/// sizes (looked up before the stage counter advances, so a stage's first block keeps the previous window),
/// then the map and window sizes at a given image size. Assumes a spec that passed validation.
/// </summary>
public static class HieraSchedule
{
    /// <summary>Index of the last block of each stage: <c>sum(stages[:i+1]) - 1</c>.</summary>
    public static int[] StageEnds(TrunkSpec t)
    {
        var ends = new int[t.Stages.Count];
        int sum = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            sum += t.Stages[i];
            ends[i] = sum - 1;
        }
        return ends;
    }

    /// <summary>First blocks of the first <c>q_pool</c> stage transitions.</summary>
    public static int[] QPoolBlocks(TrunkSpec t) =>
        StageEnds(t).Take(Math.Max(0, t.Stages.Count - 1)).Select(e => e + 1).Take(Math.Max(0, t.QPool)).ToArray();

    /// <summary>Side of the patch-embedding output map for an input side.</summary>
    public static int PatchEmbedSize(TrunkSpec t, int imageSize) =>
        LayerListBuilder.ConvOut(imageSize, t.PatchKernelSize, t.PatchStride, t.PatchPadding);

    public static EquatableArray<HieraBlock> Build(TrunkSpec t, int imageSize)
    {
        var stageEnds = StageEnds(t);
        var qPool = new HashSet<int>(QPoolBlocks(t));
        var global = new HashSet<int>(t.GlobalAttBlocks);
        int depth = stageEnds.Length == 0 ? 0 : stageEnds[stageEnds.Length - 1] + 1;
        int qs = t.QStride.Count > 0 ? t.QStride[0] : 1;

        var blocks = new HieraBlock[depth];
        int dim = t.EmbedDim;
        int heads = t.NumHeads;
        int curStage = 1;
        int h = PatchEmbedSize(t, imageSize);
        int w = h;
        for (int i = 0; i < depth; i++)
        {
            int dimOut = dim;
            // The lookup happens before cur_stage advances: the first block of a stage keeps the previous window.
            int window = t.WindowSpec[curStage - 1];
            bool isGlobal = global.Contains(i);
            if (isGlobal) window = 0;
            if (Array.IndexOf(stageEnds, i - 1) >= 0)
            {
                dimOut = (int)(dim * t.DimMul);
                heads = (int)(heads * t.HeadMul);
                curStage++;
            }
            bool pool = qPool.Contains(i);
            int stride = pool ? qs : 1;
            int oh = h / stride;
            int ow = w / stride;
            int ph, pw, windows, qTokens, kTokens;
            if (window > 0)
            {
                ph = CeilDiv(h, window) * window;
                pw = CeilDiv(w, window) * window;
                windows = (ph / window) * (pw / window);
                kTokens = window * window;
                int qw = window / stride;
                qTokens = qw * qw;
            }
            else
            {
                ph = h;
                pw = w;
                windows = 1;
                kTokens = h * w;
                qTokens = oh * ow;
            }
            blocks[i] = new HieraBlock(
                Index: i,
                Stage: curStage,
                Dim: dim,
                DimOut: dimOut,
                Heads: heads,
                WindowSize: window,
                IsGlobal: isGlobal,
                IsQPool: pool,
                QStride: stride,
                MlpHidden: (int)(dimOut * t.MlpRatio),
                IsStageEnd: Array.IndexOf(stageEnds, i) >= 0,
                InHeight: h,
                InWidth: w,
                OutHeight: oh,
                OutWidth: ow,
                PaddedHeight: ph,
                PaddedWidth: pw,
                Windows: windows,
                QueryTokens: qTokens,
                KeyTokens: kTokens);
            dim = dimOut;
            h = oh;
            w = ow;
        }
        return blocks;
    }

    /// <summary>Per-stage summary (channels, heads, output map, stride) of a built schedule.</summary>
    public static EquatableArray<TrunkStage> Stages(TrunkSpec t, EquatableArray<HieraBlock> blocks, int imageSize)
    {
        var ends = StageEnds(t);
        var stages = new TrunkStage[ends.Length];
        int first = 0;
        for (int s = 0; s < ends.Length; s++)
        {
            var last = blocks[ends[s]];
            stages[s] = new TrunkStage(s + 1, first, ends[s], last.DimOut, last.Heads, last.OutHeight, last.OutWidth,
                last.OutHeight > 0 ? imageSize / last.OutHeight : 0);
            first = ends[s] + 1;
        }
        return stages;
    }

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
