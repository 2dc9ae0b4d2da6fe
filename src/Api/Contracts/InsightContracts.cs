using EvoCode.Evolver.Domain;

namespace EvoCode.Api.Contracts;

internal sealed record ArchiveView(IReadOnlyList<FeatureDimension> Dimensions, IReadOnlyList<IslandView> Islands);

internal sealed record IslandView(int Island, IReadOnlyList<CellView> Cells);

internal sealed record CellView(string Key, IReadOnlyList<int> Bins, Guid EliteId, double Score);

/// <summary>
/// A run's whole tree as parallel arrays (one entry per program, in sequence order), so 100,000 programs cost a
/// few megabytes: <see cref="Parents"/> holds the index of the first parent, or -1 for the seed.
/// </summary>
internal sealed record LineageView(
    IReadOnlyList<Guid> Ids,
    IReadOnlyList<int> Parents,
    IReadOnlyList<double?> Scores,
    IReadOnlyList<int> Islands,
    IReadOnlyList<string> Operators,
    IReadOnlyList<bool?> Correct,
    IReadOnlyList<int> BestPath);

internal sealed record StatisticsView(
    IReadOnlyList<BestPoint> Best,
    IReadOnlyList<ScorePoint> Scores,
    IReadOnlyDictionary<string, OperatorStatistics> Operators,
    IReadOnlyDictionary<string, OperatorStatistics> Models,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, long> Rejections,
    TimeView Time,
    TokenView Tokens,
    decimal Cost,
    CompileView Compiles);

/// <summary>The running best score after evaluation number <see cref="Evaluation"/> (a step chart: one point per change, and the last).</summary>
internal sealed record BestPoint(int Evaluation, double Score);

internal sealed record ScorePoint(long Sequence, double? Score, bool? Correct, string Operator, int Island);

internal sealed record TimeView(double ProposeMs, double EvaluateMs, double StoreMs);

internal sealed record TokenView(long Input, long Output);

/// <summary>Compiles the evaluated programs cost in the sandbox, and per evaluated program (goal 1; null before the first evaluation).</summary>
internal sealed record CompileView(long Total, double? PerEvaluatedProgram);
