namespace QSam2.Spec.Arch.Expansion;

/// <summary>What a <see cref="LayerInfo"/> computes.</summary>
public enum LayerKind
{
    /// <summary><c>nn.Linear</c>: weight [out, in], bias [out]; applied to the last dim of its input.</summary>
    Linear,
    /// <summary><c>nn.Conv2d</c>: weight [out, in/groups, k, k], bias [out].</summary>
    Conv2d,
    /// <summary><c>nn.ConvTranspose2d</c>: weight [in, out, k, k] (PyTorch layout), bias [out].</summary>
    ConvTranspose2d,
    /// <summary><c>nn.LayerNorm</c> over the last dim.</summary>
    LayerNorm,
    /// <summary>SAM2's channel-wise <c>LayerNorm2d</c> on NCHW.</summary>
    LayerNorm2d,
    /// <summary><c>nn.Embedding</c> used as a learned token table (weight [n, dim]).</summary>
    Embedding,
    /// <summary>A bare <c>nn.Parameter</c> (position embeddings, SAM2Base tokens, CXBlock gamma).</summary>
    Parameter,
    /// <summary>A registered buffer (the prompt encoder's random Fourier matrix); in the state dict, not trained.</summary>
    Buffer,
    /// <summary>Scaled-dot-product attention core (Q·Kᵀ, softmax, ·V) of an attention module; no weights.</summary>
    Attention,
}
