namespace EvoCode.Evolver.Mutation;

/// <summary>
/// Turns a parent (and maybe a second parent and inspirations) into a proposed child program.
/// Built-in syntax rewrites and language-model operators both implement it; the run loop does not
/// know which one it holds.
/// </summary>
public interface IMutationOperator
{
    /// <summary>Stable name stored with every program it makes (for example "diff", "rewrite", "crossover", "fix", "literal").</summary>
    string Name { get; }

    /// <summary>Whether the operator needs a second parent.</summary>
    bool NeedsSecondParent => false;

    /// <summary>Proposes a child. Never throws for a bad reply or a failed edit: it returns a failed proposal with the reason.</summary>
    Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken);
}
