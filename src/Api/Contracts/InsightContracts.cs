using EvoCode.Evolver.Domain;

namespace EvoCode.Api.Contracts;

internal sealed record ArchiveView(IReadOnlyList<FeatureDimension> Dimensions, IReadOnlyList<IslandView> Islands);

internal sealed record IslandView(int Island, IReadOnlyList<CellView> Cells);

internal sealed record CellView(string Key, IReadOnlyList<int> Bins, Guid EliteId, double Score);

/// <summary>
/// A run's whole tree as parallel arrays (one entry per program, in sequence order), so 100,000 programs cost a
/// few megabytes: <see cref="Parents"/> holds the index of the first parent, or -1 for the seed.
/// </summary>
/// <summary>A lineage: <see cref="Total"/> programs in the run; <see cref="ChildCounts"/> only in the ancestry view (children in the whole tree).</summary>
internal sealed record LineageView(
    int Total,
    IReadOnlyList<Guid> Ids,
    IReadOnlyList<int> Parents,
    IReadOnlyList<double?> Scores,
    IReadOnlyList<int> Islands,
    IReadOnlyList<string> Operators,
    IReadOnlyList<bool?> Correct,
    IReadOnlyList<int> BestPath,
    IReadOnlyList<int>? ChildCounts);

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

/// <summary>
/// The run's time split in milliseconds (see <see cref="RunStatistics"/>): the parts from <see cref="StartMs"/> to
/// <see cref="CommitMs"/> add up to <see cref="ActiveMs"/> when one proposal and one evaluation run at a time;
/// <see cref="EvaluateMs"/> is compile + run + score.
/// </summary>
internal sealed record TimeView(
    double ActiveMs,
    double StartMs,
    double SelectMs,
    double ProposeMs,
    double ScreenMs,
    double StoreMs,
    double QueueMs,
    double CompileMs,
    double RunMs,
    double ScoreMs,
    double CommitMs,
    double EvaluateMs,
    long ScreenCacheHits,
    long CompileCacheHits)
{
    public static TimeView Of(Run run) => new(
        run.ActiveSeconds * 1000,
        run.Statistics.StartMs,
        run.Statistics.SelectMs,
        run.Statistics.ProposeMs,
        run.Statistics.ScreenMs,
        run.Statistics.StoreMs,
        run.Statistics.QueueMs,
        run.Statistics.CompileMs,
        run.Statistics.RunMs,
        run.Statistics.ScoreMs,
        run.Statistics.CommitMs,
        run.Statistics.EvaluateMs,
        run.Statistics.ScreenCacheHits,
        run.Statistics.CompileCacheHits);
}

internal sealed record TokenView(long Input, long Output);

/// <summary>Compiles the evaluated programs cost in the sandbox, and per evaluated program (goal 1; null before the first evaluation).</summary>
internal sealed record CompileView(long Total, double? PerEvaluatedProgram);
