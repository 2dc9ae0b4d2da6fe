using System.Globalization;
using System.Text.Json;

namespace EvoCode.Evaluators.Tests.Scoring;

/// <summary>The published AlphaEvolve constructions, as raw harness output.</summary>
internal static class Constructions
{
    private static readonly Lazy<JsonDocument> s_document = new(() => JsonDocument.Parse(File.ReadAllText(Repository.ConstructionsFile)));

    public static double[][] Rows(string key, string property)
    {
        var element = s_document.Value.RootElement.GetProperty(key).GetProperty(property);
        return [.. element.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
    }

    public static string Output(double[][] rows) => JsonSerializer.Serialize(new { rows });

    /// <summary>Asserts that <paramref name="actual"/> equals <paramref name="expected"/> to the digits shown.</summary>
    public static void AssertDigits(string expected, double actual)
    {
        var decimals = expected.Contains('.', StringComparison.Ordinal) ? expected.Length - expected.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var value = double.Parse(expected, CultureInfo.InvariantCulture);
        var halfUnit = 0.5 * Math.Pow(10, -decimals);
        Assert.True(Math.Abs(actual - value) <= halfUnit * (1 + 1e-9), $"Expected {expected} to the digits shown, got {actual:R}.");
    }
}
