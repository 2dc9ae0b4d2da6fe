using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.PointSets;

/// <summary>
/// n points on or inside the triangle (0,0), (1,0), (1/2, √3/2); the value is the smallest area of a triangle
/// formed by three of them divided by the triangle's area √3/4 (AlphaEvolve B.9). Strict mode uses the
/// notebook's three inequalities exactly: <c>y &gt;= 0</c>, <c>√3·x &lt;= √3 − y</c>, <c>y &lt;= √3·x</c>.
/// </summary>
/// <param name="count">The number of points.</param>
/// <param name="mode">The tolerance mode (1e-6 slack on each inequality in the OpenEvolve mode).</param>
public sealed class HeilbronnTriangleScorer(int count, ToleranceMode mode = ToleranceMode.Strict) : IOutputScorer
{
    private static readonly double s_sqrt3 = Math.Sqrt(3);

    /// <inheritdoc />
    public EvaluationResult Score(string rawOutput)
    {
        if (!PointSet.TryRead(rawOutput, count, 2, out var points, out var failure))
        {
            return failure;
        }

        var tolerance = mode.Tolerance();
        var onBoundary = 0;
        for (var i = 0; i < points.Length; i++)
        {
            var (x, y) = (points[i][0], points[i][1]);
            string? side = null;
            double by = 0;
            if (!(y >= -tolerance))
            {
                (side, by) = ("below the base", -y);
            }
            else if (!(s_sqrt3 * x <= s_sqrt3 - y + tolerance))
            {
                (side, by) = ("beyond the right side", s_sqrt3 * x - (s_sqrt3 - y));
            }
            else if (!(y <= s_sqrt3 * x + tolerance))
            {
                (side, by) = ("beyond the left side", y - (s_sqrt3 * x));
            }

            if (side is not null)
            {
                var message = $"Point {i} lies outside the triangle, {side} by {RawOutput.Small(by)} (x = {RawOutput.Exact(x)}, y = {RawOutput.Exact(y)}).";
                return EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
            }

            if (y <= 1e-9 || s_sqrt3 * x >= s_sqrt3 - y - 1e-9 || y >= (s_sqrt3 * x) - 1e-9)
            {
                onBoundary++;
            }
        }

        var (area, a, b, c) = PointSet.SmallestTriangle(points);
        var value = area / (s_sqrt3 / 4);
        return new EvaluationResult
        {
            Correct = true,
            Score = value,
            Metrics = new Dictionary<string, double>
            {
                ["min_area_normalized"] = value,
                ["tolerance"] = tolerance,
            },
            Features = new Dictionary<string, double> { ["boundary_fraction"] = (double)onBoundary / count },
            Artifacts =
            [
                Artifact.Feedback("validation", $"Valid: {count} points inside the triangle (tolerance {tolerance}). The smallest triangle is points {a}, {b}, {c} with normalized area {RawOutput.Exact(value)}."),
            ],
        }.RequireFinite();
    }
}
