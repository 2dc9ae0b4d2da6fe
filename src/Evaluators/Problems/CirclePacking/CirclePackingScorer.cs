using System.Text;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.CirclePacking;

/// <summary>
/// Validates n circles (rows x, y, r) in the unit square and scores the sum of radii, always recomputed from
/// the radii. Strict mode uses AlphaEvolve V2's comparison forms exactly: a circle is inside when
/// <c>r &lt;= x &amp;&amp; x &lt;= 1 - r</c> (same in y), and a pair overlaps when
/// <c>r_i + r_j &gt; Math.Sqrt(dx * dx + dy * dy)</c>. The 1e-6 mode uses OpenEvolve's forms
/// (<c>x - r &lt; -1e-6</c>, <c>x + r &gt; 1 + 1e-6</c>, <c>dist &lt; r_i + r_j - 1e-6</c>).
/// </summary>
/// <param name="count">The number of circles asked for.</param>
/// <param name="mode">The tolerance mode.</param>
public sealed class CirclePackingScorer(int count, ToleranceMode mode = ToleranceMode.Strict) : IOutputScorer
{
    private const int MaxListed = 20;

    /// <inheritdoc />
    public EvaluationResult Score(string rawOutput)
    {
        if (!RawOutput.TryReadRows(rawOutput, out var rows, out var shapeError))
        {
            return EvaluationResult.Incorrect(shapeError, artifacts: [Artifact.Feedback("validation", shapeError)]);
        }

        if (rows.Length != count)
        {
            var message = $"Expected {count} circles, got {rows.Length}.";
            return EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
        }

        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i].Length != 3)
            {
                var message = $"Circle {i} has {rows[i].Length} values; each row must be x, y, r.";
                return EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
            }

            string[] names = ["x", "y", "radius"];
            for (var k = 0; k < 3; k++)
            {
                if (!double.IsFinite(rows[i][k]))
                {
                    var message = $"Circle {i} has a non-finite {names[k]} ({RawOutput.Exact(rows[i][k])}).";
                    return EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
                }
            }
        }

        var violations = new List<string>();
        var bad = new HashSet<int>();
        var tolerance = mode.Tolerance();
        var minWallGap = double.PositiveInfinity;
        for (var i = 0; i < rows.Length; i++)
        {
            var (x, y, r) = (rows[i][0], rows[i][1], rows[i][2]);
            if (r < 0)
            {
                violations.Add($"circle {i} has a negative radius ({RawOutput.Exact(r)})");
                bad.Add(i);
                continue;
            }

            minWallGap = Math.Min(minWallGap, Math.Min(Math.Min(x - r, 1 - r - x), Math.Min(y - r, 1 - r - y)));
            var inside = mode == ToleranceMode.Strict
                ? r <= x && x <= 1 - r && r <= y && y <= 1 - r
                : !(x - r < -tolerance || x + r > 1 + tolerance || y - r < -tolerance || y + r > 1 + tolerance);
            if (!inside)
            {
                var (edge, by) = WorstEdge(x, y, r);
                violations.Add($"circle {i} lies {RawOutput.Small(by)} outside the square at the {edge} edge (x = {RawOutput.Exact(x)}, y = {RawOutput.Exact(y)}, r = {RawOutput.Exact(r)})");
                bad.Add(i);
            }
        }

        var minPairGap = double.PositiveInfinity;
        for (var i = 0; i < rows.Length; i++)
        {
            for (var j = i + 1; j < rows.Length; j++)
            {
                var dx = rows[i][0] - rows[j][0];
                var dy = rows[i][1] - rows[j][1];
                var distance = Math.Sqrt((dx * dx) + (dy * dy));
                var reach = rows[i][2] + rows[j][2];
                minPairGap = Math.Min(minPairGap, distance - reach);
                var overlaps = mode == ToleranceMode.Strict ? reach > distance : distance < reach - tolerance;
                if (overlaps)
                {
                    violations.Add($"circle {i} overlaps circle {j} by {RawOutput.Small(reach - distance)}");
                    bad.Add(i);
                    bad.Add(j);
                }
            }
        }

        var svg = Artifact.Svg("packing", PackingSvg.Render(rows, bad));
        var settings = $"tolerance mode {mode.Name()} (tolerance {tolerance})";
        if (violations.Count > 0)
        {
            var first = char.ToUpperInvariant(violations[0][0]) + violations[0][1..];
            var error = violations.Count == 1 ? first + "." : $"{first} (and {violations.Count - 1} more violations).";
            var listing = new StringBuilder($"Invalid packing under {settings}; {violations.Count} violation(s):\n");
            foreach (var v in violations.Take(MaxListed))
            {
                listing.Append("- ").Append(v).Append('\n');
            }

            return EvaluationResult.Incorrect(error, artifacts: [Artifact.Feedback("validation", listing.ToString()), svg]);
        }

        var sum = 0.0;
        foreach (var row in rows)
        {
            sum += row[2];
        }

        var metrics = new Dictionary<string, double>
        {
            ["sum_radii"] = sum,
            ["min_wall_gap"] = minWallGap,
            ["tolerance"] = tolerance,
        };

        // A single circle has no pairs; leave the metric out rather than report an infinite gap.
        if (count > 1)
        {
            metrics["min_pair_gap"] = minPairGap;
        }

        var mean = sum / count;
        var spread = Math.Sqrt(rows.Sum(row => (row[2] - mean) * (row[2] - mean)) / count);
        var feedback = $"Valid packing of {count} circles under {settings}. Sum of radii {RawOutput.Exact(sum)}; " +
            (count > 1 ? $"smallest gap between two circles {RawOutput.Small(minPairGap)}, " : "") + $"smallest gap between a circle and the square {RawOutput.Small(minWallGap)}.";
        return new EvaluationResult
        {
            Correct = true,
            Score = sum,
            Metrics = metrics,
            Features = new Dictionary<string, double>
            {
                ["radius_std"] = spread,
                ["radius_max"] = rows.Max(row => row[2]),
            },
            Artifacts =
            [
                Artifact.Feedback("validation", feedback),
                svg,
                new Artifact("circles", "application/json", JsonSerializer.Serialize(rows), ForModel: false),
            ],
        }.RequireFinite();
    }

    private static (string Edge, double By) WorstEdge(double x, double y, double r)
    {
        (string, double)[] edges = [("left", r - x), ("right", x + r - 1), ("bottom", r - y), ("top", y + r - 1)];
        return edges.MaxBy(e => e.Item2);
    }
}
