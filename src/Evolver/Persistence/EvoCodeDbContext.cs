using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Persistence;

/// <summary>The single source of truth of every run.</summary>
/// <remarks>
/// The model differs slightly per provider (jsonb and a schema on PostgreSQL), so each provider has its own
/// migrations assembly. Add a migration to both:
/// <code>
/// dotnet ef migrations add NAME --project migrations/Sqlite --startup-project migrations/Sqlite
/// dotnet ef migrations add NAME --project migrations/Postgres --startup-project migrations/Postgres
/// </code>
/// </remarks>
public sealed class EvoCodeDbContext(DbContextOptions<EvoCodeDbContext> options) : DbContext(options)
{
    /// <summary>The PostgreSQL schema that holds every table.</summary>
    public const string Schema = "evocode";

    public DbSet<Problem> Problems => Set<Problem>();

    public DbSet<Run> Runs => Set<Run>();

    public DbSet<Candidate> Candidates => Set<Candidate>();

    public DbSet<CandidateParent> CandidateParents => Set<CandidateParent>();

    public DbSet<ArchiveCell> ArchiveCells => Set<ArchiveCell>();

    /// <summary>The cells' fronts of runs with several objectives (ADR-024).</summary>
    public DbSet<FrontMember> FrontMembers => Set<FrontMember>();

    public DbSet<ModelCall> ModelCalls => Set<ModelCall>();

    public DbSet<RunEvent> RunEvents => Set<RunEvent>();

    public DbSet<EngineInstance> EngineInstances => Set<EngineInstance>();

    /// <summary>Each run's evaluations in the order the run counted them (the dashboard's charts).</summary>
    public DbSet<RunSeriesEntry> RunSeries => Set<RunSeriesEntry>();

    internal bool IsPostgres => Database.IsNpgsql();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        if (IsPostgres)
        {
            modelBuilder.HasDefaultSchema(Schema);
        }

        var json = new JsonColumns(IsPostgres);
        modelBuilder.ApplyConfiguration(new Configurations.ProblemConfiguration(json));
        modelBuilder.ApplyConfiguration(new Configurations.RunConfiguration(json));
        modelBuilder.ApplyConfiguration(new Configurations.CandidateConfiguration(json));
        modelBuilder.ApplyConfiguration(new Configurations.CandidateParentConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.ArchiveCellConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.FrontMemberConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.ModelCallConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.RunEventConfiguration(json));
        modelBuilder.ApplyConfiguration(new Configurations.EngineInstanceConfiguration());
        modelBuilder.ApplyConfiguration(new Configurations.RunSeriesEntryConfiguration(json));
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
        if (!IsPostgres)
        {
            // SQLite cannot order or compare DateTimeOffset or decimal values in SQL; store them as numbers.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToUnixMillisecondsConverter>();
            configurationBuilder.Properties<decimal>().HaveConversion<double>();
        }
    }
}
