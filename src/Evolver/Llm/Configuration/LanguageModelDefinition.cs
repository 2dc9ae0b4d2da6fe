namespace EvoCode.Evolver.Llm;

/// <summary>One configured model. The key itself never appears here: only the name of the environment variable holding it.</summary>
public sealed class LanguageModelDefinition
{
    /// <summary>Name runs use to refer to this model (unique).</summary>
    public string Name { get; set; } = "";

    /// <summary>openai (also any OpenAI-compatible server), azure, or ollama.</summary>
    public string Provider { get; set; } = ModelProvider.OpenAI;

    /// <summary>Base address: <c>https://api.openai.com/v1</c>, <c>http://127.0.0.1:8000/v1</c>, <c>https://NAME.openai.azure.com</c>, <c>http://127.0.0.1:11434</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Model id (openai, ollama) or deployment name (azure).</summary>
    public string Model { get; set; } = "";

    /// <summary>Name of the environment variable holding the API key; none for local servers that need no key.</summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>US dollars per million input tokens; unset means cost unknown (0 for a free local model).</summary>
    public decimal? InputPricePerMillion { get; set; }

    /// <summary>US dollars per million output tokens; unset means cost unknown (0 for a free local model).</summary>
    public decimal? OutputPricePerMillion { get; set; }

    /// <summary>Sampling temperature.</summary>
    public float? Temperature { get; set; } = 0.7f;

    /// <summary>Output token limit of one reply.</summary>
    public int MaxTokens { get; set; } = 4096;

    /// <summary>Limit of one attempt; sized for slow (reasoning, local) models.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether to stream the reply (SSE / NDJSON); usage then comes from the last chunk.</summary>
    public bool Streaming { get; set; }

    /// <summary>Calls in flight at once for this model.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>The pricing of this model.</summary>
    public ModelPricing Pricing => new(InputPricePerMillion, OutputPricePerMillion);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Provider} {Model} at {Endpoint})";
}
