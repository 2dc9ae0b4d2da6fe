using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace EvoCode.Evolver.Persistence;

/// <summary>Stores instants as UTC Unix milliseconds, which SQLite can index, order and compare.</summary>
public sealed class DateTimeOffsetToUnixMillisecondsConverter()
    : ValueConverter<DateTimeOffset, long>(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));
