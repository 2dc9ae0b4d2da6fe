using System.Globalization;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Mutation.Builtin;

/// <summary>
/// The step every literal perturbation takes: a relative Gaussian step for reals, a small step for integers, both
/// the real step scaled by the run's adaptive <see cref="LiteralStepSize"/> (10 % at its start). Integers keep their
/// fixed 25 % step: they are mostly counts and indices, where a wider step mostly breaks programs.
/// </summary>
internal static class LiteralStep
{
    /// <summary>A nearby non-negative integer (literals carry no sign: a minus is an operator before them).</summary>
    public static string Integer(long value, Random random)
    {
        var step = Math.Max(1, (long)Math.Round(Math.Abs(value) * 0.25 * Math.Abs(Gaussian(random))));
        var next = random.Next(2) == 0 ? value - step : value + step;
        return Math.Max(0, next).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A nearby real, written so that it still reads as a real ("2.0", not "2").</summary>
    public static string Real(double value, Random random, double scale = LiteralStepSize.Initial)
    {
        var sigma = value == 0 ? scale / 2 : Math.Abs(value) * scale;
        var text = (value + (Gaussian(random) * sigma)).ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static double Gaussian(Random random) =>
        random is RunRandom run ? run.NextGaussian() : Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
