namespace EvoCode.Evolver.Llm;

/// <summary>One SEARCH/REPLACE block of a reply, as lines without line ends.</summary>
/// <param name="Search">Lines to find (empty: append at the end of the last evolve block).</param>
/// <param name="Replace">Lines to put in their place.</param>
public sealed record SearchReplaceBlock(IReadOnlyList<string> Search, IReadOnlyList<string> Replace);
