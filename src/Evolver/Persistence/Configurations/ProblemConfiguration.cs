using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class ProblemConfiguration(JsonColumns json) : IEntityTypeConfiguration<Problem>
{
    public void Configure(EntityTypeBuilder<Problem> builder)
    {
        builder.ToTable("problems");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.Property(p => p.Title).HasMaxLength(200);
        builder.Property(p => p.EvaluatorId).HasMaxLength(100);

        // Problems stored before languages existed were all C#.
        builder.Property(p => p.Language).HasMaxLength(40).HasDefaultValue("csharp");
        json.MapRaw(builder.Property(p => p.EvaluatorParameters));
        json.Map(builder.Property(p => p.FeatureDimensions));
        json.Map(builder.Property(p => p.DefaultSettings));
        builder.HasIndex(p => p.CreatedAt);
    }
}
