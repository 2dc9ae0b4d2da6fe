namespace EvoCode.Evolver.Search;

/// <summary>The program holding a cell, as the in-memory archive keeps it.</summary>
/// <param name="Id">The program.</param>
/// <param name="Island">Its island.</param>
/// <param name="CellKey">Its cell.</param>
/// <param name="Score">Its score.</param>
/// <param name="CodeHash">Its normalized-code hash, so a migrant is never copied twice onto an island.</param>
/// <param name="Generation">Its generation; a child's is one more.</param>
public sealed record Elite(Guid Id, int Island, string CellKey, double Score, string CodeHash, int Generation);
