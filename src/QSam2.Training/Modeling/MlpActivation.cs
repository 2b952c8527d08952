namespace QSam2.Training.Modeling;

/// <summary>Activation between the Linear layers of an <see cref="Mlp"/>.</summary>
public enum MlpActivation
{
    /// <summary>SAM heads, two-way transformer MLP, object-pointer projection.</summary>
    Relu,
    /// <summary>Exact-erf GELU: Hiera block MLPs.</summary>
    Gelu,
}
