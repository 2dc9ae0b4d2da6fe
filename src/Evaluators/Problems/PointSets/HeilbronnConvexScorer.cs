using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.PointSets;

/// <summary>
/// n points anywhere in the plane; the value is the smallest triangle area divided by the area of the
/// points' convex hull (AlphaEvolve B.10). Any finite points are valid unless their hull has no area.
/// </summary>
/// <param name="count">The number of points.</param>
public sealed class HeilbronnConvexScorer(int count) : IOutputScorer
{
    /// <inheritdoc />
    public EvaluationResult Score(string rawOutput)
    {
        if (!PointSet.TryRead(rawOutput, count, 2, out var points, out var failure))
        {
            return failure;
        }

        var hull = ConvexHull.Vertices(points);
        var hullArea = ConvexHull.Area(hull);
        if (!(hullArea > 0))
        {
            const string Message = "The points are collinear: their convex hull has zero area.";
            return EvaluationResult.Incorrect(Message, artifacts: [Artifact.Feedback("validation", Message)]);
        }

        var (area, a, b, c) = PointSet.SmallestTriangle(points);
        var value = area / hullArea;
        return new EvaluationResult
        {
            Correct = true,
            Score = value,
            Metrics = new Dictionary<string, double>
            {
                ["min_area_normalized"] = value,
                ["hull_area"] = hullArea,
            },
            Features = new Dictionary<string, double> { ["hull_fraction"] = (double)hull.Count / count },
            Artifacts =
            [
                Artifact.Feedback("validation", $"Valid: {count} points, convex hull of {hull.Count} vertices and area {RawOutput.Exact(hullArea)}. The smallest triangle is points {a}, {b}, {c} with normalized area {RawOutput.Exact(value)}."),
            ],
        }.RequireFinite();
    }
}
