namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>One replacement of a span of the parent's text.</summary>
public readonly record struct TextEdit(int Start, int Length, string Text);

/// <summary>
/// A built-in operator for any language: it finds the evolve blocks with the program's comment syntax, picks one
/// text edit inside them, and checks that the code outside the markers is unchanged.
/// </summary>
public abstract class TextEditOperator : IMutationOperator
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

        if (Edit(source, blocks, request) is not { } edit)
        {
            return Task.FromResult(Proposal.Failed(Name, "Nothing in the evolve blocks that this operator can change."));
        }

        var child = string.Concat(source.AsSpan(0, edit.Start), edit.Text, source.AsSpan(edit.Start + edit.Length));
        return Task.FromResult(blocks.FrozenPartsMatch(child)
            ? new Proposal { Operator = Name, Source = child }
            : Proposal.Failed(Name, "The edit reached outside the evolve blocks."));
    }

    /// <summary>Picks one edit inside <paramref name="blocks"/>, or <c>null</c> when there is nothing to edit.</summary>
    protected abstract TextEdit? Edit(string source, EvolveBlocks blocks, MutationRequest request);

    protected static bool Inside(EvolveBlocks blocks, int start, int length)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return blocks.Blocks.Any(b => start >= b.Start.Value && start + length <= b.End.Value);
    }
}
