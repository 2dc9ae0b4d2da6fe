namespace EvoCode.Evolver.Mutation;

/// <summary>An earlier attempt shown in a prompt's history: a recent child of the parent, or the parent and its ancestors.</summary>
/// <param name="Relation">child (of the program shown), self (the program shown) or ancestor.</param>
/// <param name="Operator">The operator that made it.</param>
/// <param name="ChangeNote">What it changed against its own parent.</param>
/// <param name="Score">Its score, when it was correct.</param>
/// <param name="ParentScore">Its own parent's score, when known.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record PriorAttempt(string Relation, string Operator, string? ChangeNote, double? Score, double? ParentScore, string? Error);

/// <summary>Recent failures that share one cause, with the changes that caused them.</summary>
/// <param name="Cause">The newest failure's error (its first line).</param>
/// <param name="Count">Failures in the recent window with this cause.</param>
/// <param name="FromParent">How many of them were children of the program shown.</param>
/// <param name="Changes">The change notes of those failures, newest first, distinct.</param>
public sealed record FailureGroup(string Cause, int Count, int FromParent, IReadOnlyList<string> Changes);

/// <summary>Where the parent sits in its island's MAP-Elites grid, over the dimensions the model may see.</summary>
/// <param name="Dimensions">Each dimension with the parent's bin.</param>
/// <param name="FilledCells">Cells of the island that hold a program.</param>
/// <param name="TotalCells">Cells of the grid.</param>
/// <param name="EmptyNeighbours">Cells one bin away along one dimension that hold no program yet.</param>
public sealed record ArchivePlace(IReadOnlyList<DimensionBin> Dimensions, int FilledCells, long TotalCells, IReadOnlyList<DimensionBin> EmptyNeighbours);

/// <summary>A bin of one dimension and the values it covers.</summary>
/// <param name="Name">The feature or metric.</param>
/// <param name="Bin">The bin, from 0.</param>
/// <param name="Bins">Bins of the dimension.</param>
/// <param name="Low">Smallest value of the bin.</param>
/// <param name="High">Largest value of the bin.</param>
/// <param name="Log">Whether the dimension is binned logarithmically.</param>
public sealed record DimensionBin(string Name, int Bin, int Bins, double Low, double High, bool Log);
