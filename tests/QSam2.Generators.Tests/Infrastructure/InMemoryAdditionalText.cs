using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace QSam2.Generators.Tests.Infrastructure;

/// <summary>An AdditionalFile served from memory (spec JSON in driver tests).</summary>
public sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text, System.Text.Encoding.UTF8);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
