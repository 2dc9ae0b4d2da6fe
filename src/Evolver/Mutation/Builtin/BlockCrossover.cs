namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// One-point crossover of evolve blocks between two parents: the child keeps the first parent's block up to a
/// random line and takes the second parent's block from the matching line on. Code outside the blocks comes
/// from the first parent. It works on lines, so on every language.
/// </summary>
public sealed class BlockCrossover : IMutationOperator
{
    public string Name => "crossover";

    public bool NeedsSecondParent => true;

    public Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SecondParent is null)
        {
            return Task.FromResult(Proposal.Failed(Name, "Crossover needs a second parent."));
        }

        if (!EvolveBlocks.TryParse(request.Parent.Source, request.Language, out var first, out var error)
            || !EvolveBlocks.TryParse(request.SecondParent.Source, request.Language, out var second, out error))
        {
            return Task.FromResult(Proposal.Failed(Name, error!));
        }

        if (first.Blocks.Count != second.Blocks.Count)
        {
            return Task.FromResult(Proposal.Failed(Name, "The parents have different numbers of evolve blocks."));
        }

        var index = request.Random.Next(first.Blocks.Count);
        var a = first[index].Split('\n');
        var b = second[index].Split('\n');
        var cutA = request.Random.Next(a.Length + 1);

        // Cut the second parent at the same relative position, so the child keeps a sensible length.
        var cutB = (int)Math.Round((double)cutA / Math.Max(a.Length, 1) * b.Length);
        var body = string.Join('\n', a.Take(cutA).Concat(b.Skip(cutB)));
        var child = first.Replace(index, body);
        return Task.FromResult(child == request.Parent.Source
            ? Proposal.Failed(Name, "The crossover reproduced the first parent.")
            : new Proposal { Operator = Name, Source = child });
    }
}
