using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EvoCode.Sandbox;

/// <summary>Registers the sandbox.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="SandboxOptions"/> from the <c>Sandbox</c> section, registers one
    /// <see cref="SandboxRunner"/> as <see cref="ICandidateRunner"/>, <see cref="ICandidateCompiler"/> and
    /// <see cref="ISandboxStatus"/>, and a hosted service that starts the warm workers with the host (failing
    /// start-up when full isolation is required and unavailable) and stops them with it.
    /// </summary>
    public static IServiceCollection AddEvoCodeSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SandboxOptions>()
            .Bind(configuration.GetSection(SandboxOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();
        services.AddSingleton<SandboxRunner>();
        services.AddSingleton<ICandidateRunner>(sp => sp.GetRequiredService<SandboxRunner>());
        services.AddSingleton<ICandidateCompiler>(sp => sp.GetRequiredService<SandboxRunner>());
        services.AddSingleton<ISandboxStatus>(sp => sp.GetRequiredService<SandboxRunner>());
        services.AddHostedService<SandboxHostedService>();
        return services;
    }
}
