using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>
/// Refuses constructs by syntax, before binding: unsafe code, stackalloc, extern, finalizers,
/// undocumented keywords and #line. These are cheaper and clearer to refuse here than after binding.
/// </summary>
internal static class SyntaxPolicyCheck
{
    public static List<SourceDiagnostic> Check(SyntaxNode root)
    {
        var found = new List<SourceDiagnostic>();
        foreach (var node in root.DescendantNodesAndSelf(descendIntoTrivia: true))
        {
            var rule = node switch
            {
                PointerTypeSyntax or FunctionPointerTypeSyntax or FixedStatementSyntax or UnsafeStatementSyntax
                    or StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax
                    or SizeOfExpressionSyntax => PolicyRules.UnsafeCode,
                MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => PolicyRules.Reflection,
                DestructorDeclarationSyntax => PolicyRules.Finalizer,
                LineDirectiveTriviaSyntax or LineSpanDirectiveTriviaSyntax or ReferenceDirectiveTriviaSyntax or LoadDirectiveTriviaSyntax => PolicyRules.Directive,
                _ => null,
            };

            if (rule is null && node is MemberDeclarationSyntax or LocalFunctionStatementSyntax)
            {
                var modifiers = node switch
                {
                    MemberDeclarationSyntax m => m.Modifiers,
                    LocalFunctionStatementSyntax l => l.Modifiers,
                    _ => default,
                };

                if (modifiers.Any(SyntaxKind.UnsafeKeyword))
                {
                    rule = PolicyRules.UnsafeCode;
                }
                else if (modifiers.Any(SyntaxKind.ExternKeyword))
                {
                    rule = PolicyRules.Interop;
                }
            }

            if (rule is null && node is ArgumentListSyntax && node.ChildTokens().Any(t => t.IsKind(SyntaxKind.ArgListKeyword)))
            {
                rule = PolicyRules.Reflection;
            }

            if (rule is null && node is ExpressionSyntax && node.IsKind(SyntaxKind.ArgListExpression))
            {
                rule = PolicyRules.Reflection;
            }

            if (rule is not null)
            {
                found.Add(PolicyViolation.Create(rule, Shorten(node.ToString()), node.GetLocation()));
            }
        }

        return found;
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
