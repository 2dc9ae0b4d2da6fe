namespace EvoCode.Evolver.Llm;

/// <summary>One recent child as the meta-memory sees it.</summary>
/// <param name="Operator">The operator that made it.</param>
/// <param name="Model">The model that made it, if any.</param>
/// <param name="Score">Its score, when it was correct.</param>
/// <param name="ParentScore">Its parent's score, when known.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="Change">What changed (a diff or a description), size-bounded by the caller or here.</param>
public sealed record MetaMemoryEntry(string Operator, string? Model, double? Score, double? ParentScore, string? Error, string? Change = null);
