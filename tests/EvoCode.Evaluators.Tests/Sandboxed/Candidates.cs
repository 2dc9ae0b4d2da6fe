using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Tests.Sandboxed;

/// <summary>Candidate sources for the sandboxed tests.</summary>
internal static class Candidates
{
    /// <summary>A circle-packing candidate whose <c>Pack</c> body is given.</summary>
    public static string CirclePacking(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using EvoCode.Evaluators.Contract;

        public static class CirclePacking
        {
            {{members}}

            public static double[][] Pack(int n)
            {
                {{body}}
            }
        }
        """;

    /// <summary>The sum of radii of <see cref="GridBody"/> for 26 circles: a 6 × 6 grid of radius 0.5/6, shrunk by 0.999.</summary>
    public const double GridSum26 = 26 * (0.5 / 6) * 0.999;

    /// <summary>A valid but poor packing: n equal circles on a grid.</summary>
    public const string GridBody = """
        var side = (int)Math.Ceiling(Math.Sqrt(n));
        var r = 0.5 / side;
        var rows = new double[n][];
        for (var i = 0; i < n; i++)
        {
            rows[i] = new[] { r + (2 * r * (i % side)), r + (2 * r * (i / side)), r * 0.999 };
        }

        return rows;
        """;

    public static Task<EvaluationResult> EvaluateAsync(IEvaluator evaluator, ICandidateRunner runner, string source) =>
        evaluator.EvaluateAsync(source, runner, new EvaluationContext(), TestContext.Current.CancellationToken);

    public static IEvaluator Packing(int n = 26) => BuiltInEvaluators.CirclePacking(n);
}
