namespace EvoCode.Evolver.Engine;

/// <summary>A recent program as meta-memory sees it: what made it and how it did against its parent.</summary>
/// <param name="Operator">The operator that made it.</param>
/// <param name="Model">The model, for language-model operators.</param>
/// <param name="Score">Its score, when correct.</param>
/// <param name="ParentScore">Its parent's score.</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="ChangeNote">What it changed against its parent.</param>
public sealed record RecentProgram(string Operator, string? Model, double? Score, double? ParentScore, string? Error, string? ChangeNote = null);
