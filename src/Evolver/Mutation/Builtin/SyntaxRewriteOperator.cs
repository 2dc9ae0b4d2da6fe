using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// A built-in operator that needs no model: it edits the parent's syntax tree inside the evolve blocks only.
/// Edits are applied as text replacements of node spans that lie wholly inside a block, so code outside the
/// markers cannot change; the result is checked again anyway.
/// </summary>
public abstract class SyntaxRewriteOperator : IMutationOperator
{
    public abstract string Name { get; }

    public Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = request.Parent.Source;
        if (!EvolveBlocks.TryParse(source, request.Language, out var blocks, out var error))
        {
            return Task.FromResult(Proposal.Failed(Name, error!));
        }

        var root = CSharpSyntaxTree.ParseText(source, cancellationToken: cancellationToken).GetRoot(cancellationToken);
        var edit = Rewrite(new RewriteScope(source, root, blocks, request), request.Random);
        if (edit is null)
        {
            return Task.FromResult(Proposal.Failed(Name, "Nothing in the evolve blocks that this operator can change."));
        }

        var child = string.Concat(source.AsSpan(0, edit.Value.Span.Start), edit.Value.NewText, source.AsSpan(edit.Value.Span.End));
        return Task.FromResult(blocks.FrozenPartsMatch(child)
            ? new Proposal { Operator = Name, Source = child }
            : Proposal.Failed(Name, "The edit reached outside the evolve blocks."));
    }

    /// <summary>Picks one edit, or <c>null</c> when there is nothing to edit.</summary>
    protected abstract TextChange? Rewrite(RewriteScope scope, Random random);

    /// <summary>The parsed parent and the nodes an operator may touch.</summary>
    protected sealed class RewriteScope(string source, SyntaxNode root, EvolveBlocks blocks, MutationRequest request)
    {
        public string Source { get; } = source;

        public SyntaxNode Root { get; } = root;

        public EvolveBlocks Blocks { get; } = blocks;

        public MutationRequest Request { get; } = request;

        public bool Inside(TextSpan span) =>
            Blocks.Blocks.Any(b => span.Start >= b.Start.Value && span.End <= b.End.Value);

        public List<T> Editable<T>()
            where T : SyntaxNode => [.. Root.DescendantNodes().OfType<T>().Where(n => Inside(n.Span))];

        public List<SyntaxToken> EditableTokens(Func<SyntaxToken, bool> predicate) =>
            [.. Root.DescendantTokens().Where(t => predicate(t) && Inside(t.Span))];
    }

    protected static T Pick<T>(IReadOnlyList<T> items, Random random)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(random);
        return items[random.Next(items.Count)];
    }
}
