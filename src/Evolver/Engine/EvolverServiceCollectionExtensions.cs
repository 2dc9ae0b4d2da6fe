using EvoCode.Evaluators.Catalog;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EvoCode.Evolver.Engine;

public static class EvolverServiceCollectionExtensions
{
    /// <summary>
    /// Everything of the Evolver a host needs: storage, the evaluator catalogue, language models (optional: with
    /// none configured the built-in operators run), model-call accounting and the engine. The host adds the
    /// sandbox (<c>ICandidateRunner</c>) itself.
    /// </summary>
    public static IServiceCollection AddEvoCodeEvolver(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddEvoCodeStorage(configuration);
        services.AddSingleton(EvaluatorCatalog.Default);
        services.AddSingleton<IEvaluatorResolver, CatalogEvaluatorResolver>();
        services.AddSingleton<IModelCallLog, DbModelCallLog>();
        services.AddEvoCodeLanguageModels(configuration);
        services.AddSingleton<IOperatorSource, LanguageModelOperatorSource>();
        services.AddEvoCodeEngine(configuration);
        return services;
    }
}
