namespace EvoCode.Api.Contracts;

/// <summary>
/// A 2-D map of a run's programs by meaning: their code embeddings projected on the two principal components
/// (issue 19). Only programs stored with an embedding are on it (runs with <c>semanticSimilarityThreshold</c>).
/// </summary>
/// <param name="Count">Programs on the map.</param>
/// <param name="Total">Programs of the run with an embedding; the map holds the newest <see cref="Count"/> of them.</param>
/// <param name="ExplainedVariance">Share of the embeddings' variance each axis explains.</param>
internal sealed record ProgramMapView(int Count, int Total, IReadOnlyList<double> ExplainedVariance, IReadOnlyList<ProgramMapPoint> Points);

/// <summary>One program on the map, with what colours it: its score (null when incorrect).</summary>
internal sealed record ProgramMapPoint(Guid Id, long Sequence, int Island, string Operator, double? Score, bool? Correct, double X, double Y);
