using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace EvoCode.Evaluators.Scoring;

/// <summary>Reading harness output: tables of numbers in which NaN and infinity arrive as JSON strings.</summary>
public static class RawOutput
{
    /// <summary>Reads <c>{"rows": [[...], ...]}</c>.</summary>
    /// <returns>Whether the output had that shape; otherwise <paramref name="error"/> says why.</returns>
    public static bool TryReadRows(string? json, [NotNullWhen(true)] out double[][]? rows, [NotNullWhen(false)] out string? error)
    {
        rows = null;
        if (!TryParse(json, out var document, out error))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("rows", out var table) || table.ValueKind != JsonValueKind.Array)
            {
                error = "The output has no 'rows' table.";
                return false;
            }

            var result = new double[table.GetArrayLength()][];
            var i = 0;
            foreach (var row in table.EnumerateArray())
            {
                if (row.ValueKind != JsonValueKind.Array)
                {
                    error = $"Row {i} is not an array of numbers.";
                    return false;
                }

                result[i] = new double[row.GetArrayLength()];
                var j = 0;
                foreach (var cell in row.EnumerateArray())
                {
                    if (!TryReadNumber(cell, out result[i][j]))
                    {
                        error = $"Row {i}, value {j} is not a number: {cell.GetRawText()}.";
                        return false;
                    }

                    j++;
                }

                i++;
            }

            rows = result;
            return true;
        }
    }

    /// <summary>Parses JSON with the limits every scorer uses.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out string? error)
    {
        document = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "The candidate produced no output.";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"The output is not valid JSON: {e.Message}";
            return false;
        }
    }

    /// <summary>Reads a JSON number, or the strings "NaN", "Infinity" and "-Infinity" the harness writes for non-finite values.</summary>
    public static bool TryReadNumber(JsonElement element, out double value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return element.TryGetDouble(out value);
            case JsonValueKind.String when element.GetString() is "NaN" or "Infinity" or "-Infinity":
                value = double.Parse(element.GetString()!, CultureInfo.InvariantCulture);
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Formats a small magnitude for messages, such as "1.0e-12".</summary>
    public static string Small(double value) => value.ToString("0.0e+0", CultureInfo.InvariantCulture);

    /// <summary>Formats a number with all the digits needed to tell it apart.</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
