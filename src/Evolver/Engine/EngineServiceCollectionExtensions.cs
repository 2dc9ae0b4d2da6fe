using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EvoCode.Evolver.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the evolution engine. Needs an <see cref="IEvaluatorResolver"/> and an
    /// <c>ICandidateRunner</c>; uses the built-in operators unless another <see cref="IOperatorSource"/> is registered.
    /// </summary>
    public static IServiceCollection AddEvoCodeEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EngineOptions>()
            .BindConfiguration(EngineOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOperatorSource, BuiltinOperatorSource>();
        services.AddSingleton<RunEventHub>();
        services.AddSingleton<RunClaims>();
        services.AddSingleton<EvolutionEngine>();
        services.AddHostedService(sp => sp.GetRequiredService<EvolutionEngine>());
        services.AddSingleton<RunControl>();
        return services;
    }
}
