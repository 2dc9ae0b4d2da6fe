using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Mutation;

/// <summary>Everything an operator may use to propose a child.</summary>
public sealed record MutationRequest
{
    /// <summary>The problem's task text for the model.</summary>
    public required string TaskDescription { get; init; }

    /// <summary>The parent the child is made from.</summary>
    public required ParentProgram Parent { get; init; }

    /// <summary>A second parent, for crossover.</summary>
    public ParentProgram? SecondParent { get; init; }

    /// <summary>Diverse programs to show the model: other cells, other islands, the run's best when the island is young.</summary>
    public IReadOnlyList<ParentProgram> Inspirations { get; init; } = [];

    /// <summary>The run's best programs, best first (the prompt leaves out any it already shows).</summary>
    public IReadOnlyList<ParentProgram> TopPrograms { get; init; } = [];

    /// <summary>The parent, its ancestors and its recent children, newest first, with their change notes and outcomes.</summary>
    public IReadOnlyList<PriorAttempt> History { get; init; } = [];

    /// <summary>Recent failures grouped by cause, newest cause first.</summary>
    public IReadOnlyList<FailureGroup> Failures { get; init; } = [];

    /// <summary>Where the parent sits in the archive, when the run has a grid.</summary>
    public ArchivePlace? Archive { get; init; }

    /// <summary>The run's meta-memory summary, when one has been written.</summary>
    public string? MetaSummary { get; init; }

    /// <summary>The language of the programs: their markers, tokens and fences. C# unless the problem names another.</summary>
    public IProgramLanguage Language { get; init; } = ProgramLanguages.CSharp;

    /// <summary>The run's screen for that language (what model operators check an edit with before returning it), when the run has one.</summary>
    public ICodeCheck? Screen { get; init; }

    /// <summary>The signature the evaluator calls.</summary>
    public string? EntryPoint { get; init; }

    /// <summary>Random source of the run, so proposals are reproducible with a fixed seed.</summary>
    public required Random Random { get; init; }

    /// <summary>The run this proposal belongs to, for accounting.</summary>
    public Guid RunId { get; init; }

    /// <summary>
    /// The proposal's id: the child's id when it is stored. Every model call made for it carries the id, so its
    /// <c>model_calls</c> rows can be pointed at the program (or the rejection) once the engine knows which.
    /// </summary>
    public Guid ProposalId { get; init; }

    /// <summary>The generation the child will have.</summary>
    public int Generation { get; init; }
}
