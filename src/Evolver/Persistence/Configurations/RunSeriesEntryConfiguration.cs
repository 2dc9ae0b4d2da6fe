using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class RunSeriesEntryConfiguration(JsonColumns json) : IEntityTypeConfiguration<RunSeriesEntry>
{
    public void Configure(EntityTypeBuilder<RunSeriesEntry> builder)
    {
        builder.ToTable("run_series");
        // The key is the read order: "entries of a run after evaluation n" is one range of the key.
        builder.HasKey(e => new { e.RunId, e.Evaluation });
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Operator).HasMaxLength(64);
        builder.Property(e => e.Model).HasMaxLength(128);
        json.Map(builder.Property(e => e.Metrics));
    }
}
