using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Llm;

/// <summary>The configured models by name, each with its own HTTP connection pool. Keys are read from the environment here and kept only inside the provider clients.</summary>
public sealed class LanguageModelCatalog : IDisposable
{
    private readonly Dictionary<string, LanguageModel> _models;

    /// <summary>Builds the catalog from validated options.</summary>
    public LanguageModelCatalog(IOptions<LanguageModelOptions> options, IModelCallLog log, TimeProvider timeProvider)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), log, timeProvider, Environment.GetEnvironmentVariable)
    {
    }

    internal LanguageModelCatalog(LanguageModelOptions options, IModelCallLog log, TimeProvider timeProvider, Func<string, string?> environment)
    {
        _models = new Dictionary<string, LanguageModel>(StringComparer.Ordinal);
        foreach (var definition in options.Models)
        {
            var key = definition.ApiKeyVariable is { Length: > 0 } variable ? environment(variable) : null;
            var http = new HttpClient(new ResponseProbeHandler(timeProvider) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) } })
            {
                // The attempt timeout is a token in LanguageModel; HttpClient's 100 s default would cut slow models short.
                Timeout = Timeout.InfiniteTimeSpan,
            };
            var client = ChatClientFactory.Create(definition, key, http);
            _models[definition.Name] = new LanguageModel(definition, client, http, options.Retry, log, timeProvider);
        }

        Names = [.. options.Models.Select(m => m.Name)];
    }

    /// <summary>Model names in configuration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Whether no model is configured (the engine then uses its built-in operators only).</summary>
    public bool IsEmpty => _models.Count == 0;

    /// <summary>The model of that name.</summary>
    public LanguageModel this[string name] =>
        _models.TryGetValue(name, out var model) ? model : throw new KeyNotFoundException($"No language model named '{name}' is configured; configured: {string.Join(", ", Names)}.");

    /// <summary>Whether a model of that name is configured.</summary>
    public bool Contains(string name) => _models.ContainsKey(name);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }
}
