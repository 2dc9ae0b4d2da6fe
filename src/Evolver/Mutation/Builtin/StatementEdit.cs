using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>What a <see cref="StatementEdit"/> does to a statement inside an evolve block.</summary>
public enum StatementEditKind
{
    /// <summary>Repeat a statement right after itself.</summary>
    Duplicate,

    /// <summary>Remove a statement (never a declaration: later code would not compile).</summary>
    Delete,

    /// <summary>Swap a statement with the next one in its block.</summary>
    SwapWithNext,
}

/// <summary>Duplicates, deletes or reorders one statement of a block inside the evolve blocks.</summary>
public sealed class StatementEdit(StatementEditKind kind) : SyntaxRewriteOperator
{
    public override string Name => kind switch
    {
        StatementEditKind.Duplicate => "duplicate-statement",
        StatementEditKind.Delete => "delete-statement",
        _ => "swap-statements",
    };

    protected override TextChange? Rewrite(RewriteScope scope, Random random)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var statements = scope.Editable<StatementSyntax>()
            .Where(s => s.Parent is BlockSyntax && s is not LocalFunctionStatementSyntax && s is not ReturnStatementSyntax)
            .ToList();
        if (kind == StatementEditKind.Delete)
        {
            statements.RemoveAll(s => s is LocalDeclarationStatementSyntax);
        }

        if (kind == StatementEditKind.SwapWithNext)
        {
            statements.RemoveAll(s => NextInBlock(s) is not { } next || !scope.Inside(next.Span) || next is ReturnStatementSyntax);
        }

        if (statements.Count == 0)
        {
            return null;
        }

        var statement = Pick(statements, random);
        var full = statement.FullSpan;
        var text = statement.ToFullString();
        return kind switch
        {
            StatementEditKind.Duplicate => new TextChange(new TextSpan(full.End, 0), text),
            StatementEditKind.Delete => new TextChange(full, string.Empty),
            _ => Swap(statement, NextInBlock(statement)!),
        };
    }

    private static StatementSyntax? NextInBlock(StatementSyntax statement)
    {
        var block = (BlockSyntax)statement.Parent!;
        var index = block.Statements.IndexOf(statement);
        return index + 1 < block.Statements.Count ? block.Statements[index + 1] : null;
    }

    private static TextChange Swap(StatementSyntax first, StatementSyntax second) =>
        new(TextSpan.FromBounds(first.FullSpan.Start, second.FullSpan.End), second.ToFullString() + first.ToFullString());
}
