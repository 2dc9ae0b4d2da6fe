namespace EvoCode.Api.Contracts;

/// <summary>
/// A run's Pareto front (ADR-024): its objectives, the non-dominated programs over all cells and islands, and the
/// newest correct programs as points behind it (at most <c>RunFrontEndpoints.MaxPoints</c>; <c>total</c> counts all).
/// </summary>
internal sealed record RunFrontResponse(IReadOnlyList<ObjectiveView> Objectives, IReadOnlyList<FrontProgramView> Front, int Total, IReadOnlyList<FrontProgramView> Points);

/// <summary>One objective: the metric and whether it is maximized or minimized.</summary>
internal sealed record ObjectiveView(string Metric, string Goal);

/// <summary>A program with its value on each objective, in the order of the objectives.</summary>
internal sealed record FrontProgramView(Guid Id, long Sequence, int Island, string? CellKey, IReadOnlyList<double> Values);
