namespace QSam2.Training.Inference;

/// <summary>A prompt that does not fit the image or the model (out of bounds, wrong length, bad label, bad mask shape).</summary>
public sealed class PromptValidationException : ArgumentException
{
    public PromptValidationException(string message) : base(message) { }
}
