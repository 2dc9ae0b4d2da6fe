using System.Diagnostics.CodeAnalysis;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Problems.PointSets;

/// <summary>Reading and checking a returned set of points.</summary>
public static class PointSet
{
    /// <summary>Reads exactly <paramref name="count"/> finite points of <paramref name="dimensions"/> coordinates.</summary>
    /// <returns>Whether the output is such a set; otherwise <paramref name="failure"/> is the incorrect result to return.</returns>
    public static bool TryRead(string rawOutput, int count, int dimensions, [NotNullWhen(true)] out double[][]? points, [NotNullWhen(false)] out EvaluationResult? failure)
    {
        points = null;
        failure = null;
        string? message = null;
        if (!RawOutput.TryReadRows(rawOutput, out var rows, out var shapeError))
        {
            message = shapeError;
        }
        else if (rows.Length != count)
        {
            message = $"Expected {count} points, got {rows.Length}.";
        }
        else
        {
            for (var i = 0; i < rows.Length && message is null; i++)
            {
                if (rows[i].Length != dimensions)
                {
                    message = $"Point {i} has {rows[i].Length} coordinates; expected {dimensions}.";
                    break;
                }

                for (var k = 0; k < dimensions; k++)
                {
                    if (!double.IsFinite(rows[i][k]))
                    {
                        message = $"Point {i} has a non-finite coordinate {k} ({RawOutput.Exact(rows[i][k])}).";
                        break;
                    }
                }
            }
        }

        if (message is not null)
        {
            failure = EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
            return false;
        }

        points = rows!;
        return true;
    }

    /// <summary>Twice the signed area of a triangle, in the determinant form the reference evaluators use.</summary>
    public static double TriangleArea(double[] a, double[] b, double[] c) =>
        Math.Abs((a[0] * (b[1] - c[1])) + (b[0] * (c[1] - a[1])) + (c[0] * (a[1] - b[1]))) / 2;

    /// <summary>The smallest triangle area over all triples, and the triple that has it.</summary>
    public static (double Area, int I, int J, int K) SmallestTriangle(double[][] points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var best = (double.PositiveInfinity, -1, -1, -1);
        for (var i = 0; i < points.Length; i++)
        {
            for (var j = i + 1; j < points.Length; j++)
            {
                for (var k = j + 1; k < points.Length; k++)
                {
                    var area = TriangleArea(points[i], points[j], points[k]);
                    if (area < best.Item1)
                    {
                        best = (area, i, j, k);
                    }
                }
            }
        }

        return best;
    }
}
