using EvoCode.Evolver.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence.Configurations;

internal sealed class EngineInstanceConfiguration : IEntityTypeConfiguration<EngineInstance>
{
    public void Configure(EntityTypeBuilder<EngineInstance> builder)
    {
        builder.ToTable("engine_instances");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Id).HasMaxLength(200);
    }
}
