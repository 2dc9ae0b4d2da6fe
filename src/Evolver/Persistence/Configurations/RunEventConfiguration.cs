using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class RunEventConfiguration(JsonColumns json) : IEntityTypeConfiguration<RunEvent>
{
    public void Configure(EntityTypeBuilder<RunEvent> builder)
    {
        builder.ToTable("run_events");
        builder.HasKey(e => e.Id);
        builder.HasOne<Run>().WithMany().HasForeignKey(e => e.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Kind).HasMaxLength(32);
        json.MapRaw(builder.Property(e => e.Data));

        // Replay after Last-Event-ID: events of a run above an id.
        builder.HasIndex(e => new { e.RunId, e.Id });
    }
}
