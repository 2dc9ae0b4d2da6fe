using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EvoCode.Evolver.Persistence;

/// <summary>
/// Maps a typed property to one JSON column: <c>jsonb</c> on PostgreSQL (queryable and compact), TEXT on SQLite.
/// </summary>
internal sealed class JsonColumns(bool postgres)
{
    internal static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public PropertyBuilder<T> Map<T>(PropertyBuilder<T> property)
        where T : class
    {
        property
            .HasConversion(
                v => JsonSerializer.Serialize(v, Options),
                v => JsonSerializer.Deserialize<T>(v, Options)!,
                new ValueComparer<T>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
                    v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!))
            .IsRequired();
        return postgres ? property.HasColumnType("jsonb") : property;
    }

    public PropertyBuilder<string> MapRaw(PropertyBuilder<string> property) =>
        postgres ? property.HasColumnType("jsonb") : property;
}
