namespace EvoCode.Evolver.Llm;

/// <summary>Provider names accepted in configuration.</summary>
public static class ModelProvider
{
    /// <summary>OpenAI or any OpenAI-compatible server (vLLM, llama.cpp server, LM Studio).</summary>
    public const string OpenAI = "openai";

    /// <summary>Azure OpenAI (Azure.AI.OpenAI).</summary>
    public const string Azure = "azure";

    /// <summary>Ollama (OllamaSharp).</summary>
    public const string Ollama = "ollama";

    /// <summary>All of them.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAI, Azure, Ollama];
}
