using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class FrontMemberConfiguration : IEntityTypeConfiguration<FrontMember>
{
    public void Configure(EntityTypeBuilder<FrontMember> builder)
    {
        builder.ToTable("front_members");

        // A program is on at most one front: its own island's, in its own cell.
        builder.HasKey(m => new { m.RunId, m.CandidateId });
        builder.Property(m => m.CellKey).HasMaxLength(128);
        builder.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Candidate>().WithMany().HasForeignKey(m => m.CandidateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.CandidateId);
    }
}
