using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class CandidateConfiguration(JsonColumns json) : IEntityTypeConfiguration<Candidate>
{
    public void Configure(EntityTypeBuilder<Candidate> builder)
    {
        builder.ToTable("candidates");
        builder.HasKey(c => c.Id);
        builder.HasOne<Run>().WithMany().HasForeignKey(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Parents).WithOne().HasForeignKey(p => p.CandidateId).OnDelete(DeleteBehavior.Cascade);

        // A program moves from Pending to Evaluated only if it is still Pending (ADR-021): the commit's UPDATE carries
        // "AND state = 'Pending'" and a second commit of the same program fails as a concurrency conflict.
        builder.Property(c => c.State).IsConcurrencyToken();
        builder.Property(c => c.Operator).HasMaxLength(64);
        builder.Property(c => c.Model).HasMaxLength(128);
        builder.Property(c => c.CodeHash).HasMaxLength(64).IsFixedLength().IsUnicode(false);
        builder.Property(c => c.Outcome).HasMaxLength(32);
        builder.Property(c => c.CellKey).HasMaxLength(128);
        builder.Property(c => c.ChangeNote).HasMaxLength(ChangeNotes.MaxLength);
        builder.Property(c => c.Cost).HasPrecision(20, 10);
        builder.Property(c => c.Source).HasConversion(StoredText.Converter);
        builder.Property(c => c.Prompt).HasConversion(StoredText.NullableConverter);
        builder.Property(c => c.Reply).HasConversion(StoredText.NullableConverter);
        builder.Property(c => c.Error).HasConversion(StoredText.NullableConverter);
        json.Map(builder.Property(c => c.Metrics));
        json.Map(builder.Property(c => c.Features));
        json.Map(builder.Property(c => c.Artifacts));
        json.Map(builder.Property(c => c.Timings));

        // Sequence is the run's clock: unique per run, and the order of "programs of a run by time".
        builder.HasIndex(c => new { c.RunId, c.Sequence }).IsUnique();
        // Top-k by score per run and island (the sampler's inspirations, the dashboard's best).
        builder.HasIndex(c => new { c.RunId, c.Island, c.Score });
        builder.HasIndex(c => new { c.RunId, c.Score });
        // Duplicate screening by normalized-code hash.
        builder.HasIndex(c => new { c.RunId, c.CodeHash });
        // Children of a program (first parent; all parents via candidate_parents).
        builder.HasIndex(c => c.ParentId);
        // Resume: pending programs of a run.
        builder.HasIndex(c => new { c.RunId, c.State });
    }
}
