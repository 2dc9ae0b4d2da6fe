using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.PointSets;

/// <summary>
/// n points in d dimensions; the value is (largest pairwise distance / smallest pairwise distance)²,
/// to minimize (AlphaEvolve B.8). The score is its inverse, so higher is better. Points that coincide are
/// invalid.
/// </summary>
/// <param name="count">The number of points.</param>
/// <param name="dimensions">The number of coordinates per point.</param>
public sealed class MinMaxDistanceScorer(int count, int dimensions) : IOutputScorer
{
    /// <inheritdoc />
    public EvaluationResult Score(string rawOutput)
    {
        if (!PointSet.TryRead(rawOutput, count, dimensions, out var points, out var failure))
        {
            return failure;
        }

        var (min, max) = (double.PositiveInfinity, 0.0);
        var (minI, minJ) = (0, 0);
        for (var i = 0; i < points.Length; i++)
        {
            for (var j = i + 1; j < points.Length; j++)
            {
                var squared = 0.0;
                for (var k = 0; k < dimensions; k++)
                {
                    var d = points[i][k] - points[j][k];
                    squared += d * d;
                }

                var distance = Math.Sqrt(squared);
                if (distance < min)
                {
                    (min, minI, minJ) = (distance, i, j);
                }

                max = Math.Max(max, distance);
            }
        }

        if (!(min > 0))
        {
            var message = $"Points {minI} and {minJ} coincide; every pair of points must be apart.";
            return EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
        }

        var ratio = max / min;
        var squaredRatio = ratio * ratio;
        return new EvaluationResult
        {
            Correct = true,
            Score = 1 / squaredRatio,
            Metrics = new Dictionary<string, double>
            {
                ["ratio_squared"] = squaredRatio,
                ["ratio"] = ratio,
            },
            Artifacts =
            [
                Artifact.Feedback("validation", $"Valid: {count} points in {dimensions}D; (max/min distance)² = {RawOutput.Exact(squaredRatio)}; the closest pair is points {minI} and {minJ}."),
            ],
        }.RequireFinite();
    }
}
