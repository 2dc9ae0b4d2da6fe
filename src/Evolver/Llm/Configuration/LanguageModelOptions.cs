namespace EvoCode.Evolver.Llm;

/// <summary>The language models this server may call, bound from the <c>LanguageModels</c> section and validated on start.</summary>
public sealed class LanguageModelOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "LanguageModels";

    /// <summary>The models; empty means "no models" and the engine falls back to built-in operators.</summary>
    public IList<LanguageModelDefinition> Models { get; init; } = [];

    /// <summary>The single retry layer every model call goes through.</summary>
    public ModelRetryOptions Retry { get; init; } = new();
}
