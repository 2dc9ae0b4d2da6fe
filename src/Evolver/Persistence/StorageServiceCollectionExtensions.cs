using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Persistence;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the store: PostgreSQL when <c>ConnectionStrings:Postgres</c> is set, otherwise an SQLite file
    /// under <see cref="StorageOptions.DataDirectory"/>. Contexts come from a pooled factory, because the engine
    /// opens one short-lived context per unit of work.
    /// </summary>
    public static IServiceCollection AddEvoCodeStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var postgres = configuration.GetConnectionString("Postgres");
        services.AddSingleton(sp =>
        {
            if (!string.IsNullOrWhiteSpace(postgres))
            {
                return new StoreConnection(StoreProvider.Postgres, postgres);
            }

            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            // Relative to the content root (the server's folder), never to whatever folder it was started from.
            var root = sp.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            var folder = Path.GetFullPath(options.DataDirectory, root);
            Directory.CreateDirectory(folder);
            return new StoreConnection(StoreProvider.Sqlite, StoreConfiguration.SqliteConnectionString(Path.Combine(folder, options.SqliteFileName)));
        });
        services.AddSingleton(sp => sp.GetRequiredService<StoreConnection>().Description);
        services.AddPooledDbContextFactory<EvoCodeDbContext>((sp, builder) =>
        {
            var store = sp.GetRequiredService<StoreConnection>();
            StoreConfiguration.Configure(builder, store.Provider, store.ConnectionString);
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<EvoCodeDbContext>>().CreateDbContext());
        services.AddSingleton<ArchiveStore>();
        services.AddHostedService<StoreMigrator>();
        return services;
    }
}
