using System.Text.Json;

namespace EvoCode.Api.Validation;

/// <summary>
/// The rule every stored text obeys on both stores: no NUL character (PostgreSQL cannot hold one in text or jsonb,
/// SQLite could), so a NUL anywhere in a request is a 400 naming its field instead of a store-dependent answer.
/// </summary>
internal static class TextRules
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web);

    /// <summary>Adds an error for every string (or property name) under <paramref name="request"/> that holds a NUL.</summary>
    public static void RefuseNul(object? request, FieldErrors errors)
    {
        if (request is not null)
        {
            Walk(JsonSerializer.SerializeToElement(request, request.GetType(), s_options), "", errors);
        }
    }

    private static void Walk(JsonElement element, string path, FieldErrors errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString()!.Contains('\0', StringComparison.Ordinal):
                errors.Add(path.Length == 0 ? "body" : path, "Must not contain NUL characters (\\u0000).");
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var name = property.Name.Replace("\0", "\\u0000", StringComparison.Ordinal);
                    var at = path.Length == 0 ? name : $"{path}.{name}";
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        errors.Add(at, "A name must not contain NUL characters (\\u0000).");
                    }

                    Walk(property.Value, at, errors);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item, $"{path}[{index++}]", errors);
                }

                break;
            default:
                break;
        }
    }
}
