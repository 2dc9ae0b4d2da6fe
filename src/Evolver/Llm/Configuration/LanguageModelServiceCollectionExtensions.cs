using EvoCode.Evolver.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the language-model layer.</summary>
public static class LanguageModelServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="LanguageModelOptions"/> from the <c>LanguageModels</c> section (on start), and registers
    /// <see cref="LanguageModelCatalog"/> and <see cref="ILanguageModelOperatorFactory"/>. Register an <see cref="IModelCallLog"/>
    /// (the database one) and an <see cref="ICodeCheck"/> (the sandbox's) before or after: a logging call log is the fallback,
    /// and without a code check proposals are not compile-checked before evaluation. With no models configured everything
    /// registers and the factory reports "no models".
    /// </summary>
    public static IServiceCollection AddEvoCodeLanguageModels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LanguageModelOptions>().Bind(configuration.GetSection(LanguageModelOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LanguageModelOptions>>(new LanguageModelOptionsValidator()));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IModelCallLog>(sp => new LoggingModelCallLog(sp.GetService<ILoggerFactory>()?.CreateLogger<LoggingModelCallLog>() ?? NullLogger<LoggingModelCallLog>.Instance));
        services.TryAddSingleton<LanguageModelCatalog>();
        services.TryAddSingleton<ILanguageModelOperatorFactory>(sp => new LanguageModelOperatorFactory(sp.GetRequiredService<LanguageModelCatalog>(), sp.GetService<ICodeCheck>()));
        return services;
    }
}
