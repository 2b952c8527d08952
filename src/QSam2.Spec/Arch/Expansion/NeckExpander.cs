using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary><c>image_encoder.neck</c>: lateral 1×1 convs <c>convs.{j}.conv</c>, j = 0 the deepest (stride-32) level.</summary>
internal static class NeckExpander
{
    public static void Expand(LayerListBuilder b, ArchSpec spec, EquatableArray<TrunkStage> stages)
    {
        var list = spec.Neck.BackboneChannelList;
        int n = list.Count;
        for (int j = 0; j < n; j++)
        {
            var level = stages[n - 1 - j];
            b.Conv2d("image_encoder.neck.convs." + j + ".conv", list[j], spec.Neck.DModel, 1, 1, 0, level.Height, level.Width);
        }
    }
}
