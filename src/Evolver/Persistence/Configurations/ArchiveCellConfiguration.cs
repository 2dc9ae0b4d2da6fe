using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class ArchiveCellConfiguration : IEntityTypeConfiguration<ArchiveCell>
{
    public void Configure(EntityTypeBuilder<ArchiveCell> builder)
    {
        builder.ToTable("archive_cells");

        // The key is the cell itself: the database, not the application, guarantees one elite per cell.
        builder.HasKey(c => new { c.RunId, c.Island, c.CellKey });
        builder.Property(c => c.CellKey).HasMaxLength(128);
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Candidate>().WithMany().HasForeignKey(c => c.EliteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.EliteId);

        // Elites of an island best first (migration, inspirations).
        builder.HasIndex(c => new { c.RunId, c.Island, c.Score });
    }
}
