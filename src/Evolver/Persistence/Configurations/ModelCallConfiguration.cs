using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class ModelCallConfiguration : IEntityTypeConfiguration<ModelCall>
{
    public void Configure(EntityTypeBuilder<ModelCall> builder)
    {
        builder.ToTable("model_calls");
        builder.HasKey(c => c.Id);
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Model).HasMaxLength(128);
        builder.Property(c => c.Provider).HasMaxLength(32);
        builder.Property(c => c.Operator).HasMaxLength(64);
        builder.Property(c => c.Outcome).HasMaxLength(64);
        builder.Property(c => c.EditOutcome).HasMaxLength(2000);
        builder.Property(c => c.Cost).HasPrecision(20, 10);
        builder.Property(c => c.Rejection).HasMaxLength(2000);
        builder.Property(c => c.Prompt).HasConversion(StoredText.NullableConverter);
        builder.Property(c => c.Reply).HasConversion(StoredText.NullableConverter);
        builder.Property(c => c.Error).HasConversion(StoredText.NullableConverter);

        // Usage per run over time, and per model.
        builder.HasIndex(c => new { c.RunId, c.StartedAt });
        builder.HasIndex(c => new { c.RunId, c.Model });

        // A program's conversation, and linking a proposal's calls when it is stored.
        builder.HasIndex(c => c.CandidateId);
        builder.HasIndex(c => c.ProposalId);
    }
}
