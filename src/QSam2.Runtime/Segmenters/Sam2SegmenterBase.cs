using QSam2.Runtime.Imaging;
using QSam2.Runtime.Kernels.Resize;

namespace QSam2.Runtime.Segmenters;

/// <summary>
/// The public face of every generated SAM2 segmenter, shaped like <c>SAM2ImagePredictor</c>: <see cref="SetImage(RgbImage)"/>
/// once (runs the image encoder and caches the image embedding and high-res features in the arena), then
/// <see cref="Predict(Sam2Prompt)"/> many times (prompt encoder, mask decoder, selection, upsampling).
/// The generated subclass supplies the specialized paths (<see cref="EncodeImage"/>, <see cref="PrepareDecoderImageSide"/>,
/// <see cref="DecodeMasks"/>); this class owns the arena, prompt preparation, mask selection and post-processing.
/// SetImage also prepares the decoder's prompt-independent image side (the first two-way layer's projections of all
/// image tokens), which every box/point prompt reuses; a mask prompt recomputes it with its own dense embedding.
/// Not thread-safe: one image and one prediction at a time per instance.
/// </summary>
public abstract class Sam2SegmenterBase
{
    private readonly PromptEncoderWeights _prompt;
    private int _origH, _origW;
    private float _maxHoleArea, _maxSprinkleArea;

    /// <summary>The arena holds the image side for the no-mask dense prompt (false after a mask prompt replaced it).</summary>
    private bool _imageSideWithoutMask;

    protected Sam2SegmenterBase(Sam2SegmenterInfo info, WeightSource weights)
    {
        Info = info ?? throw new ArgumentNullException(nameof(info));
        ArgumentNullException.ThrowIfNull(weights);
        _prompt = new PromptEncoderWeights(weights, info.HiddenDim);
        Arena = new SegmenterArena(info.ArenaBytes);
        WeightsSource = weights.Source;
    }

    public Sam2SegmenterInfo Info { get; }

    /// <summary>Where the weights were loaded from.</summary>
    public string WeightsSource { get; }

    /// <summary>Logit threshold for the binary masks (SAM2ImagePredictor's <c>mask_threshold</c>).</summary>
    public float MaskThreshold { get; set; }

    /// <summary>
    /// SAM2's <c>max_hole_area</c>: background components of the chosen low-res masks of at most this many low-res
    /// pixels are filled before upsampling (0, the default, disables; see <see cref="MaskPostprocessing"/>).
    /// </summary>
    public float MaxHoleArea
    {
        get => _maxHoleArea;
        set => _maxHoleArea = value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "max hole area must be a finite number ≥ 0");
    }

    /// <summary>SAM2's <c>max_sprinkle_area</c>: foreground components at most this large are removed (0 disables).</summary>
    public float MaxSprinkleArea
    {
        get => _maxSprinkleArea;
        set => _maxSprinkleArea = value >= 0 && float.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "max sprinkle area must be a finite number ≥ 0");
    }

    public bool IsImageSet { get; private set; }

    /// <summary>Original (height, width) of the current image.</summary>
    public (int Height, int Width) OriginalSize => (_origH, _origW);

    protected SegmenterArena Arena { get; }

    /// <summary>Runs the image path on the preprocessed image at <see cref="Sam2SegmenterInfo.ImageInputOffset"/>.</summary>
    protected abstract void EncodeImage(SegmenterArena a);

    /// <summary>
    /// Computes the dense prompt embedding (from the mask at <see cref="Sam2SegmenterInfo.MaskInputOffset"/>, or
    /// <c>no_mask_embed</c>) and the decoder's image side that depends only on it and the image.
    /// </summary>
    protected abstract void PrepareDecoderImageSide(SegmenterArena a, bool hasMask);

    /// <summary>Runs the mask decoder on <paramref name="tokens"/> tokens (output tokens + sparse prompt tokens).</summary>
    protected abstract void DecodeMasks(SegmenterArena a, int tokens);

    /// <summary>Decoder output tokens in front of the sparse prompt tokens.</summary>
    protected abstract int OutputTokens { get; }

    /// <summary>Every weight layer in program order (the generated class lists its fields).</summary>
    protected abstract IReadOnlyList<LinearLayer> WeightLayers { get; }

    /// <summary>The weight layers in program order (names, sizes, quantization).</summary>
    public IReadOnlyList<LinearLayer> Layers => WeightLayers;

    /// <summary>Sets (or clears, with null) an observer of every weight layer's float input, e.g. to calibrate activation ranges.</summary>
    public void ObserveLayerInputs(LayerInputObserver? observer)
    {
        foreach (var layer in WeightLayers) layer.Observer = observer;
    }

    /// <summary>Encodes an RGB image (any size; resized to the model input without keeping the aspect ratio).</summary>
    public void SetImage(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var input = Sam2Preprocessing.ToModelInput(image, Info.ImageSize);
        input.CopyTo(Arena.F(Info.ImageInputOffset, input.Length));
        EncodeArenaImage();
        _origH = image.Height;
        _origW = image.Width;
        IsImageSet = true;
    }

    /// <summary>
    /// Runs the image path on the preprocessed input already in the arena, then the decoder's image side for box and
    /// point prompts (what SetImage does after preprocessing; benchmarks feed a fixed preprocessed input through it).
    /// </summary>
    protected void EncodeArenaImage()
    {
        EncodeImage(Arena);
        PrepareDecoderImageSide(Arena, hasMask: false);
        _imageSideWithoutMask = true;
    }

    /// <summary>Encodes an HWC uint8 RGB buffer of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public void SetImage(ReadOnlySpan<byte> rgb, int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}×{height} must be positive");
        if (rgb.Length != width * height * 3) throw new ArgumentException($"RGB buffer has {rgb.Length} bytes, expected {width}×{height}×3 = {width * height * 3}", nameof(rgb));
        SetImage(new RgbImage(width, height, rgb.ToArray()));
    }

    /// <summary>Forgets the current image.</summary>
    public void ResetPredictor()
    {
        IsImageSet = false;
        _origH = _origW = 0;
    }

    /// <summary>The cached image embedding (including <c>no_mem_embed</c>) as [D, E, E] (the official NCHW layout).</summary>
    public float[] GetImageEmbedding()
    {
        RequireImage();
        int d = Info.HiddenDim, e = Info.EmbeddingSize;
        var tokens = Arena.F(Info.ImageEmbedOffset, e * e * d);
        var result = new float[d * e * e];
        for (int p = 0; p < e * e; p++)
            for (int c = 0; c < d; c++)
                result[c * e * e + p] = tokens[p * d + c];
        return result;
    }

    /// <summary>Predicts masks for one prompt on the current image.</summary>
    public PredictionResult Predict(Sam2Prompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        RequireImage();
        var (coords, labels) = PreparePoints(prompt);
        int sparse = labels.Length;
        _prompt.Embed(coords, labels, Info.ImageSize, Arena.F(Info.SparseTokensOffset, sparse * Info.HiddenDim));

        int l = Info.LowResSize;
        bool hasMask = prompt.MaskInput != null;
        if (hasMask)
        {
            if (prompt.MaskInput!.Length != l * l)
                throw new ArgumentException($"mask input has {prompt.MaskInput.Length} values, expected {l}×{l} low-res logits", nameof(prompt));
            prompt.MaskInput.CopyTo(Arena.F(Info.MaskInputOffset, l * l));
        }
        if (hasMask || !_imageSideWithoutMask)
        {
            PrepareDecoderImageSide(Arena, hasMask);
            _imageSideWithoutMask = !hasMask;
        }
        DecodeMasks(Arena, OutputTokens + sparse);
        return Postprocess(prompt);
    }

    /// <summary>SAM2ImagePredictor.predict with its argument list.</summary>
    public PredictionResult Predict(float[]? pointCoords = null, int[]? pointLabels = null, float[]? box = null, float[]? maskInput = null,
        bool multimaskOutput = true, bool returnLogits = false, bool normalizeCoords = true) =>
        Predict(new Sam2Prompt
        {
            PointCoords = pointCoords,
            PointLabels = pointLabels,
            Box = box,
            MaskInput = maskInput,
            MultimaskOutput = multimaskOutput,
            ReturnLogits = returnLogits,
            NormalizeCoords = normalizeCoords,
        });

    /// <summary>Several prompts on the current image (the image embedding is reused for each).</summary>
    public IReadOnlyList<PredictionResult> PredictBatch(IReadOnlyList<Sam2Prompt> prompts)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        var results = new PredictionResult[prompts.Count];
        for (int i = 0; i < prompts.Count; i++) results[i] = Predict(prompts[i]);
        return results;
    }

    /// <summary>
    /// Box corners (labels 2, 3) then clicks, mapped to the S×S model frame, then the padding point (label −1) that
    /// SAM2's predictor appends whenever there are points; no points at all gives no sparse tokens.
    /// </summary>
    private (float[] Coords, int[] Labels) PreparePoints(Sam2Prompt prompt)
    {
        int clicks = prompt.PointCoords?.Length / 2 ?? 0;
        if (prompt.PointCoords != null && prompt.PointCoords.Length % 2 != 0)
            throw new ArgumentException($"point coordinates must be (x, y) pairs; got {prompt.PointCoords.Length} values", nameof(prompt));
        if ((prompt.PointLabels?.Length ?? 0) != clicks)
            throw new ArgumentException($"{clicks} points but {prompt.PointLabels?.Length ?? 0} labels", nameof(prompt));
        if (prompt.Box != null && prompt.Box.Length != 4)
            throw new ArgumentException($"box must be [x0, y0, x1, y1]; got {prompt.Box.Length} values", nameof(prompt));
        int corners = prompt.Box != null ? 2 : 0;
        int points = corners + clicks;
        if (points > Info.MaxPromptPoints)
            throw new ArgumentException($"{points} prompt points exceed the {Info.MaxPromptPoints} this segmenter was compiled for", nameof(prompt));
        if (points == 0) return (Array.Empty<float>(), Array.Empty<int>());

        var coords = new float[2 * (points + 1)];
        var labels = new int[points + 1];
        if (prompt.Box is { } b)
        {
            coords[0] = b[0]; coords[1] = b[1]; labels[0] = 2;
            coords[2] = b[2]; coords[3] = b[3]; labels[1] = 3;
        }
        for (int i = 0; i < clicks; i++)
        {
            int label = prompt.PointLabels![i];
            if (label != 0 && label != 1) throw new ArgumentException($"point label {i} is {label}; use 1 (foreground) or 0 (background)", nameof(prompt));
            coords[2 * (corners + i)] = prompt.PointCoords![2 * i];
            coords[2 * (corners + i) + 1] = prompt.PointCoords[2 * i + 1];
            labels[corners + i] = label;
        }
        for (int i = 0; i < points; i++)
        {
            float x = coords[2 * i], y = coords[2 * i + 1];
            if (!float.IsFinite(x) || !float.IsFinite(y)) throw new ArgumentException($"prompt point {i} ({x}, {y}) is not finite", nameof(prompt));
            // SAM2Transforms.transform_coords: pixels / original size × S (or relative × S).
            coords[2 * i] = prompt.NormalizeCoords ? x / _origW * Info.ImageSize : x * Info.ImageSize;
            coords[2 * i + 1] = prompt.NormalizeCoords ? y / _origH * Info.ImageSize : y * Info.ImageSize;
        }
        labels[points] = -1;
        return (coords, labels);
    }

    private PredictionResult Postprocess(Sam2Prompt prompt)
    {
        int l = Info.LowResSize, plane = l * l, tokens = Info.MaskTokens;
        var all = Arena.F(Info.MasksOffset, tokens * plane);
        var iou = Arena.F(Info.IouOffset, tokens);
        float obj = Info.ObjectScoreOffset >= 0 ? Arena.F(Info.ObjectScoreOffset, 1)[0] : 0f;
        var chosen = MaskSelection.Choose(all, iou, plane, tokens, prompt.MultimaskOutput, Info);

        int c = chosen.Length, h = _origH, w = _origW;
        var selected = new float[c * plane];
        var ious = new float[c];
        for (int i = 0; i < c; i++)
        {
            all.Slice(chosen[i] * plane, plane).CopyTo(selected.AsSpan(i * plane, plane));
            ious[i] = iou[chosen[i]];
        }
        // Masks come from the unclamped (optionally cleaned-up) logits; the returned low-res logits are the decoder's,
        // clamped (SAM2ImagePredictor._predict).
        var upsampled = selected;
        if (MaxHoleArea > 0 || MaxSprinkleArea > 0)
        {
            upsampled = (float[])selected.Clone();
            MaskPostprocessing.FillHolesAndRemoveSprinkles(upsampled, c, l, l, MaskThreshold, MaxHoleArea, MaxSprinkleArea);
        }
        var logits = new float[c * h * w];
        var scratch = new byte[BilinearResize.ScratchBytes(w)];
        BilinearResize.Resize(upsampled, c, l, l, logits, h, w, scratch);
        var masks = new byte[logits.Length];
        for (int i = 0; i < logits.Length; i++) masks[i] = logits[i] > MaskThreshold ? (byte)1 : (byte)0;
        for (int i = 0; i < selected.Length; i++) selected[i] = Math.Clamp(selected[i], -32f, 32f);
        return new PredictionResult
        {
            Count = c,
            Height = h,
            Width = w,
            Masks = masks,
            MaskLogits = prompt.ReturnLogits ? logits : Array.Empty<float>(),
            IouPredictions = ious,
            LowResLogits = selected,
            LowResSize = l,
            TokenIndices = chosen,
            ObjectScoreLogit = obj,
        };
    }

    private void RequireImage()
    {
        if (!IsImageSet) throw new InvalidOperationException("no image: call SetImage before predicting");
    }
}
