using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class CandidateParentConfiguration : IEntityTypeConfiguration<CandidateParent>
{
    public void Configure(EntityTypeBuilder<CandidateParent> builder)
    {
        builder.ToTable("candidate_parents");
        builder.HasKey(p => new { p.CandidateId, p.Position });
        builder.HasOne<Candidate>().WithMany().HasForeignKey(p => p.ParentId).OnDelete(DeleteBehavior.Restrict);

        // Children of a program through any parent slot (crossover).
        builder.HasIndex(p => p.ParentId);
    }
}
