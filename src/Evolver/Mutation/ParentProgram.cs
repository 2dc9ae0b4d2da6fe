namespace EvoCode.Evolver.Mutation;

/// <summary>A program as an operator sees it: code and what the evaluator said about it.</summary>
/// <param name="Id">The program's id.</param>
/// <param name="Source">Full source, markers included.</param>
/// <param name="Score">Primary score, when it was evaluated correctly.</param>
/// <param name="Metrics">Metrics the problem allows the model to see.</param>
/// <param name="Feedback">Evaluator feedback for the model (size-bounded by the prompt builder).</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="ChangeNote">What it changed against its own parent.</param>
/// <param name="Origin">Why it is shown, for inspirations ("another cell of this island", "island 2", "one of the run's best").</param>
public sealed record ParentProgram(
    Guid Id,
    string Source,
    double? Score,
    IReadOnlyDictionary<string, double> Metrics,
    string? Feedback = null,
    string? Error = null,
    string? ChangeNote = null,
    string? Origin = null);
