namespace EvoCode.Evolver.Llm;

/// <summary>Prices of one model in US dollars per million tokens; a missing price makes the cost unknown.</summary>
public sealed record ModelPricing(decimal? InputPerMillion, decimal? OutputPerMillion)
{
    /// <summary>The cost of a call, or <c>null</c> when a needed count or price is unknown.</summary>
    public decimal? CostOf(int? inputTokens, int? outputTokens)
    {
        var input = Part(inputTokens, InputPerMillion);
        var output = Part(outputTokens, OutputPerMillion);
        return input is null || output is null ? null : input + output;
    }

    private static decimal? Part(int? tokens, decimal? pricePerMillion) => pricePerMillion switch
    {
        null => null,
        0m => 0m,
        _ => tokens is null ? null : tokens.Value * pricePerMillion.Value / 1_000_000m,
    };
}
