using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using QSam2.Generators.Model;

namespace QSam2.Generators.Parser;

/// <summary>
/// Turns one attributed class into a <see cref="SegmenterRequest"/>: class name, namespace, accessibility and the
/// attribute's string arguments with their locations. Does the minimum work and keeps no Roslyn objects.
/// </summary>
internal static class SegmenterRequestParser
{
    public static SegmenterRequest Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (ClassDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var attribute = context.Attributes[0];
        var args = attribute.ConstructorArguments;
        var argSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments
            ?? default(SeparatedSyntaxList<AttributeArgumentSyntax>);

        string arch = args.Length > 0 ? args[0].Value as string ?? "" : "";
        string? quant = args.Length > 1 ? args[1].Value as string : null;
        return new SegmenterRequest
        {
            Namespace = symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            ClassName = symbol.Name,
            Accessibility = symbol.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public ? "public" : "internal",
            ArchFile = arch,
            QuantFile = quant,
            IsPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword),
            IsNestedOrGeneric = symbol.ContainingType is not null || symbol.IsGenericType,
            ClassLocation = LocationInfo.From(syntax.Identifier.GetLocation()),
            ArchArgumentLocation = argSyntax.Count > 0 ? LocationInfo.From(argSyntax[0].GetLocation()) : LocationInfo.From(syntax.Identifier.GetLocation()),
            QuantArgumentLocation = argSyntax.Count > 1 ? LocationInfo.From(argSyntax[1].GetLocation()) : null,
        };
    }
}
