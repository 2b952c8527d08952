using QSam2.Spec.Model;

namespace QSam2.Spec.Arch.Expansion;

/// <summary>
/// Appends layers in official module order and derives their parameters, output shapes and MACs from the
/// PyTorch constructor arguments, so each module expander reads like the reference constructor it mirrors.
/// </summary>
internal sealed class LayerListBuilder
{
    private readonly List<LayerInfo> _layers = new();

    public IReadOnlyList<LayerInfo> Layers => _layers;

    public long MacsOf(ModelComponent component) => _layers.Where(l => l.Component == component).Sum(l => l.Macs);

    /// <summary><c>nn.Linear(inF, outF)</c> applied to <paramref name="input"/> (last dim = inF).</summary>
    public LayerInfo Linear(string name, int[] input, int inF, int outF, LayerActivation after = LayerActivation.None, bool bias = true)
    {
        var output = (int[])input.Clone();
        output[output.Length - 1] = outF;
        long rows = Rows(input);
        return Add(new LayerInfo
        {
            Name = name,
            Kind = LayerKind.Linear,
            InputShape = input,
            OutputShape = output,
            Parameters = Params(name, bias, ("weight", new[] { outF, inF }), ("bias", new[] { outF })),
            Macs = checked(rows * inF * outF),
            InFeatures = inF,
            OutFeatures = outF,
            ActivationAfter = after,
        });
    }

    /// <summary>SAM2's <c>MLP(in, hidden, out, L)</c>: <c>{prefix}.layers.{i}</c>, activation after all but the last.</summary>
    public void Mlp(string prefix, int[] input, int inF, int hidden, int outF, int numLayers, LayerActivation act, LayerActivation last = LayerActivation.None)
    {
        var shape = input;
        for (int i = 0; i < numLayers; i++)
        {
            int a = i == 0 ? inF : hidden;
            int b = i == numLayers - 1 ? outF : hidden;
            shape = Linear(prefix + ".layers." + i, shape, a, b, i == numLayers - 1 ? last : act).OutputShape.ToArray();
        }
    }

    /// <summary><c>nn.Conv2d</c> on an NCHW input [1, inC, h, w].</summary>
    public LayerInfo Conv2d(string name, int inC, int outC, int kernel, int stride, int padding, int h, int w, int groups = 1, LayerActivation after = LayerActivation.None)
    {
        int oh = ConvOut(h, kernel, stride, padding);
        int ow = ConvOut(w, kernel, stride, padding);
        return Add(new LayerInfo
        {
            Name = name,
            Kind = LayerKind.Conv2d,
            InputShape = new[] { 1, inC, h, w },
            OutputShape = new[] { 1, outC, oh, ow },
            Parameters = Params(name, true, ("weight", new[] { outC, inC / groups, kernel, kernel }), ("bias", new[] { outC })),
            Macs = checked((long)oh * ow * outC * (inC / groups) * kernel * kernel),
            InFeatures = inC,
            OutFeatures = outC,
            KernelSize = kernel,
            Stride = stride,
            Padding = padding,
            Groups = groups,
            ActivationAfter = after,
        });
    }

    /// <summary><c>nn.ConvTranspose2d(inC, outC, k, stride=s)</c> (no padding) on [1, inC, h, w].</summary>
    public LayerInfo ConvTranspose2d(string name, int inC, int outC, int kernel, int stride, int h, int w, LayerActivation after = LayerActivation.None)
    {
        int oh = (h - 1) * stride + kernel;
        int ow = (w - 1) * stride + kernel;
        return Add(new LayerInfo
        {
            Name = name,
            Kind = LayerKind.ConvTranspose2d,
            InputShape = new[] { 1, inC, h, w },
            OutputShape = new[] { 1, outC, oh, ow },
            Parameters = Params(name, true, ("weight", new[] { inC, outC, kernel, kernel }), ("bias", new[] { outC })),
            Macs = checked((long)h * w * inC * outC * kernel * kernel),
            InFeatures = inC,
            OutFeatures = outC,
            KernelSize = kernel,
            Stride = stride,
            ActivationAfter = after,
        });
    }

    /// <summary><c>nn.LayerNorm(dim)</c> over the last dim of <paramref name="shape"/>.</summary>
    public LayerInfo LayerNorm(string name, int[] shape, double eps) => Add(new LayerInfo
    {
        Name = name,
        Kind = LayerKind.LayerNorm,
        InputShape = shape,
        OutputShape = shape,
        Parameters = Params(name, true, ("weight", new[] { shape[shape.Length - 1] }), ("bias", new[] { shape[shape.Length - 1] })),
        InFeatures = shape[shape.Length - 1],
        OutFeatures = shape[shape.Length - 1],
        Eps = eps,
    });

    /// <summary>SAM2 <c>LayerNorm2d(c)</c> on [1, c, h, w].</summary>
    public LayerInfo LayerNorm2d(string name, int c, int h, int w, double eps, LayerActivation after = LayerActivation.None) => Add(new LayerInfo
    {
        Name = name,
        Kind = LayerKind.LayerNorm2d,
        InputShape = new[] { 1, c, h, w },
        OutputShape = new[] { 1, c, h, w },
        Parameters = Params(name, true, ("weight", new[] { c }), ("bias", new[] { c })),
        InFeatures = c,
        OutFeatures = c,
        Eps = eps,
        ActivationAfter = after,
    });

    /// <summary><c>nn.Embedding(n, dim)</c> used as a token table.</summary>
    public LayerInfo Embedding(string name, int n, int dim) => Add(new LayerInfo
    {
        Name = name,
        Kind = LayerKind.Embedding,
        OutputShape = new[] { n, dim },
        Parameters = Params(name, false, ("weight", new[] { n, dim })),
        InFeatures = n,
        OutFeatures = dim,
    });

    /// <summary>A bare <c>nn.Parameter</c> (or buffer) with full key <paramref name="key"/>.</summary>
    public LayerInfo Tensor(string key, int[] shape, bool buffer = false)
    {
        int dot = key.LastIndexOf('.');
        var local = dot < 0 ? key : key.Substring(dot + 1);
        return Add(new LayerInfo
        {
            Name = key,
            Kind = buffer ? LayerKind.Buffer : LayerKind.Parameter,
            OutputShape = shape,
            Parameters = new[] { new ParameterTensor(local, key, shape, buffer) },
        });
    }

    /// <summary>
    /// Attention core of module <paramref name="name"/>: <paramref name="groups"/> independent groups (windows or
    /// batch), each with <paramref name="queries"/> queries and <paramref name="keys"/> keys, <paramref name="heads"/>
    /// heads of <paramref name="headDim"/> channels. MACs = Q·Kᵀ + A·V.
    /// </summary>
    public LayerInfo Attention(string name, int groups, int heads, int queries, int keys, int headDim) => Add(new LayerInfo
    {
        Name = name,
        Kind = LayerKind.Attention,
        InputShape = new[] { groups, heads, queries, headDim },
        OutputShape = new[] { groups, heads, queries, headDim },
        Macs = checked(2L * groups * heads * queries * keys * headDim),
        InFeatures = heads * headDim,
        OutFeatures = heads * headDim,
        Heads = heads,
        KeyTokens = keys,
    });

    public static int ConvOut(int size, int kernel, int stride, int padding) =>
        (int)Math.Floor((size + 2.0 * padding - kernel) / stride) + 1;

    private static long Rows(int[] shape)
    {
        long r = 1;
        for (int i = 0; i < shape.Length - 1; i++) r = checked(r * shape[i]);
        return r;
    }

    private LayerInfo Add(LayerInfo layer)
    {
        var withComponent = layer with { Component = ModelComponents.OfKey(layer.Name + ".") };
        _layers.Add(withComponent);
        return withComponent;
    }

    private static EquatableArray<ParameterTensor> Params(string prefix, bool includeBias, params (string Name, int[] Shape)[] tensors) =>
        tensors.Where(t => includeBias || t.Name != "bias")
            .Select(t => new ParameterTensor(t.Name, prefix + "." + t.Name, t.Shape))
            .ToArray();
}
