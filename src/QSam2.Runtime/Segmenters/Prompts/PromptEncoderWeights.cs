namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The prompt encoder's point path (sam2-architecture.md §6.1–6.2): random-Fourier matrix, the four point embeddings
/// (negative, positive, box corners) and <c>not_a_point_embed</c>. Builds the sparse tokens of a prompt.
/// </summary>
internal sealed class PromptEncoderWeights
{
    private const string P = "sam_prompt_encoder.";
    private readonly float[] _gaussian;
    private readonly float[][] _pointEmbeddings;
    private readonly float[] _notAPoint;

    public PromptEncoderWeights(WeightSource w, int dim)
    {
        _gaussian = w.Float(P + "pe_layer.positional_encoding_gaussian_matrix", new[] { 2, dim / 2 });
        _pointEmbeddings = new float[4][];
        for (int i = 0; i < 4; i++) _pointEmbeddings[i] = w.Float(P + "point_embeddings." + i + ".weight", new[] { 1, dim });
        _notAPoint = w.Float(P + "not_a_point_embed.weight", new[] { 1, dim });
        Dim = dim;
    }

    public int Dim { get; }

    /// <summary>
    /// Writes one token per point: label −1 → <c>not_a_point_embed</c>; label k ∈ 0..3 → PE((x + 0.5)/S, (y + 0.5)/S) + point_embeddings[k].
    /// Coordinates are in the model's S×S frame.
    /// </summary>
    public void Embed(ReadOnlySpan<float> coords, ReadOnlySpan<int> labels, int imageSize, Span<float> output)
    {
        for (int i = 0; i < labels.Length; i++)
        {
            var token = output.Slice(i * Dim, Dim);
            int label = labels[i];
            if (label == -1)
            {
                _notAPoint.CopyTo(token);
                continue;
            }
            float x = (coords[2 * i] + 0.5f) / imageSize;
            float y = (coords[2 * i + 1] + 0.5f) / imageSize;
            Sam2Ops.RandomFourier(_gaussian, 2f * x - 1f, 2f * y - 1f, token);
            VectorOps.Add(token, _pointEmbeddings[label], token);
        }
    }
}
