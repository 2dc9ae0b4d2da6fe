using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>
/// Walks every node of the bound source and checks each symbol it names, and each expression's type,
/// against <see cref="ApiPolicy"/>. This gives refusals with source locations; the metadata check after
/// emit is the backstop for what the compiler adds implicitly.
/// </summary>
internal static class SemanticPolicyCheck
{
    public static List<SourceDiagnostic> Check(CSharpCompilation compilation, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var model = compilation.GetSemanticModel(tree);
        var found = new List<SourceDiagnostic>();
        var reported = new HashSet<(int, string)>();
        var root = tree.GetRoot(cancellationToken);
        var self = compilation.Assembly;

        void Report(string rule, string what, SyntaxNode node)
        {
            // One refusal per rule and line is enough for the model; nested nodes name the same thing.
            var line = node.GetLocation().GetLineSpan().StartLinePosition.Line;
            if (reported.Add((line, rule)))
            {
                found.Add(PolicyViolation.Create(rule, what, node.GetLocation()));
            }
        }

        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case TypeOfExpressionSyntax:
                    Report(PolicyRules.Reflection, "typeof", node);
                    continue;
                case ForEachStatementSyntax forEach:
                    var info = model.GetForEachStatementInfo(forEach);
                    CheckSymbol(info.GetEnumeratorMethod, node);
                    CheckSymbol(info.MoveNextMethod, node);
                    CheckSymbol(info.CurrentProperty, node);
                    break;
            }

            var symbolInfo = model.GetSymbolInfo(node, cancellationToken);
            CheckSymbol(symbolInfo.Symbol, node);
            foreach (var candidate in symbolInfo.CandidateSymbols)
            {
                CheckSymbol(candidate, node);
            }

            if (node is ExpressionSyntax or TypeSyntax)
            {
                var typeInfo = model.GetTypeInfo(node, cancellationToken);
                CheckType(typeInfo.Type, node);
                CheckType(typeInfo.ConvertedType, node);
                var conversion = model.GetConversion(node, cancellationToken);
                if (conversion.IsUserDefined)
                {
                    CheckSymbol(conversion.MethodSymbol, node);
                }
            }

            if (node is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            {
                if (model.GetDeclaredSymbol(node, cancellationToken) is INamedTypeSymbol declared)
                {
                    CheckType(declared.BaseType, node);
                    foreach (var implemented in declared.Interfaces)
                    {
                        CheckType(implemented, node);
                    }
                }
            }
        }

        return found;

        void CheckSymbol(ISymbol? symbol, SyntaxNode node)
        {
            switch (symbol)
            {
                case null or INamespaceSymbol or ILocalSymbol or IParameterSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol or IPreprocessingSymbol:
                    return;
                case ITypeSymbol type:
                    CheckType(type, node);
                    return;
                case IAliasSymbol alias:
                    CheckSymbol(alias.Target, node);
                    return;
            }

            if (symbol is IMethodSymbol { MethodKind: MethodKind.ReducedExtension } reduced)
            {
                symbol = reduced.ReducedFrom ?? reduced;
            }

            if (symbol is IMethodSymbol method)
            {
                foreach (var argument in method.TypeArguments)
                {
                    CheckType(argument, node);
                }
            }

            var container = symbol.ContainingType;
            if (container is null || IsOwn(container))
            {
                return;
            }

            var outer = container.OriginalDefinition;
            while (outer.ContainingType is { } containing)
            {
                outer = containing;
            }

            if (ApiPolicy.CheckType(FullName(outer), compilerSynthesized: false) is { } typeRule)
            {
                Report(typeRule, $"{Display(container)}.{symbol.Name}", node);
                return;
            }

            var (memberName, parameterCount) = symbol switch
            {
                IMethodSymbol m => (m.MetadataName, m.Parameters.Length),
                IPropertySymbol { IsIndexer: true } p => ("get_" + p.MetadataName, p.Parameters.Length),
                IPropertySymbol p => ("get_" + p.MetadataName, -1),
                IEventSymbol e => ("add_" + e.MetadataName, -1),
                _ => (symbol.MetadataName, -1),
            };

            if (ApiPolicy.CheckMember(FullName(outer), memberName, parameterCount, compilerSynthesized: false) is { } rule)
            {
                Report(rule, $"{Display(container)}.{symbol.Name}", node);
            }
        }

        void CheckType(ITypeSymbol? type, SyntaxNode node)
        {
            switch (type)
            {
                case null or ITypeParameterSymbol or IErrorTypeSymbol:
                    return;
                case IArrayTypeSymbol array:
                    CheckType(array.ElementType, node);
                    return;
                case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                    Report(PolicyRules.UnsafeCode, type.ToDisplayString(), node);
                    return;
                case IDynamicTypeSymbol:
                    Report(PolicyRules.Reflection, "dynamic", node);
                    return;
                case INamedTypeSymbol named:
                    if (named.IsAnonymousType || IsOwn(named))
                    {
                        return;
                    }

                    foreach (var argument in named.TypeArguments)
                    {
                        CheckType(argument, node);
                    }

                    var outer = named.OriginalDefinition;
                    while (outer.ContainingType is { } containing)
                    {
                        outer = containing;
                    }

                    if (ApiPolicy.CheckType(FullName(outer), compilerSynthesized: false) is { } rule)
                    {
                        Report(rule, Display(named), node);
                    }

                    return;
            }
        }

        bool IsOwn(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, self);
    }

    /// <summary>Namespace-qualified metadata name of the outermost type.</summary>
    internal static string FullName(INamedTypeSymbol type)
    {
        while (type.ContainingType is { } containing)
        {
            type = containing;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : string.Empty;
        return ns + type.MetadataName;
    }

    private static string Display(ITypeSymbol type) => type.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
