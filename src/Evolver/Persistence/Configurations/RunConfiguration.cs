using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class RunConfiguration(JsonColumns json) : IEntityTypeConfiguration<Run>
{
    public void Configure(EntityTypeBuilder<Run> builder)
    {
        builder.ToTable("runs");
        builder.HasKey(r => r.Id);
        builder.HasOne(r => r.Problem).WithMany().HasForeignKey(r => r.ProblemId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Name).HasMaxLength(200);
        json.Map(builder.Property(r => r.Settings));
        json.Map(builder.Property(r => r.Statistics));
        builder.Property(r => r.StatusReason).HasMaxLength(2000);
        builder.Property(r => r.Cost).HasPrecision(20, 10);
        builder.Property(r => r.Owner).HasMaxLength(200);

        // The fence (ADR-021): every tracked update of the run row, the loop's commits included, adds
        // "AND owner_epoch = @epoch" to its WHERE and fails as a concurrency conflict when another claim came first.
        builder.Property(r => r.OwnerEpoch).IsConcurrencyToken();

        // The engine looks for runs to resume by status; the dashboard lists runs newest first.
        builder.HasIndex(r => r.Status);
        builder.HasIndex(r => r.CreatedAt);
        builder.HasIndex(r => r.ProblemId);
    }
}
