using System.Globalization;

namespace EvoCode.Api.Validation;

/// <summary>
/// Query values arrive as text and are read here, so a value that does not parse is a field error naming the
/// parameter (not the framework's binding message), and every store sees only values it can take.
/// </summary>
internal static class QueryValues
{
    public const int MaxPageSize = 500;

    public static int? Int(string? raw, string field, int min, int max, FieldErrors errors) => (int?)Long(raw, field, min, max, errors);

    public static long? Long(string? raw, string field, long min, long max, FieldErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add(field, $"Must be a whole number between {min} and {max}.");
        return null;
    }

    public static bool? Bool(string? raw, string field, FieldErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (bool.TryParse(raw, out var value))
        {
            return value;
        }

        errors.Add(field, "Must be true or false.");
        return null;
    }

    public static Guid? Id(string? raw, string field, FieldErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (Guid.TryParse(raw, out var value))
        {
            return value;
        }

        errors.Add(field, "Must be an id (a GUID).");
        return null;
    }

    /// <summary>An enum by name only: a number such as 999 names no value.</summary>
    public static TEnum? Name<TEnum>(string? raw, string field, FieldErrors errors)
        where TEnum : struct, Enum
    {
        if (raw is null)
        {
            return null;
        }

        if (raw.Length > 0 && !char.IsAsciiDigit(raw[0]) && raw[0] != '-' && Enum.TryParse<TEnum>(raw, ignoreCase: true, out var value) && Enum.IsDefined(value))
        {
            return value;
        }

        errors.Add(field, $"Must be one of {string.Join(", ", Enum.GetNames<TEnum>())}.");
        return null;
    }

    /// <summary>Free text that a store compares: at most <paramref name="maxLength"/> characters and no NUL (PostgreSQL refuses it).</summary>
    public static string? Text(string? raw, string field, int maxLength, FieldErrors errors)
    {
        if (raw is null)
        {
            return null;
        }

        if (raw.Length > maxLength || raw.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(field, $"At most {maxLength} characters, without NUL characters.");
            return null;
        }

        return raw;
    }

    /// <summary>A page and its size, with the offset computed in 64 bits and refused when no store could skip that far.</summary>
    public static (int Page, int PageSize, int Offset) Page(string? page, string? pageSize, FieldErrors errors, int defaultPageSize = 50)
    {
        var number = Int(page, "page", 1, int.MaxValue, errors) ?? 1;
        var size = Int(pageSize, "pageSize", 1, MaxPageSize, errors) ?? defaultPageSize;
        var offset = (long)(number - 1) * size;
        if (offset > int.MaxValue)
        {
            errors.Add("page", $"Too far: page {number} of {size} starts beyond the last row any store can hold.");
            return (1, size, 0);
        }

        return (number, size, (int)offset);
    }
}
