using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Catalog;

/// <summary>
/// Reads a JSON parameters object field by field and collects every problem as a field error keyed by its
/// path ("n", "score.command"), the shape ASP.NET Core's ValidationProblem takes.
/// </summary>
internal sealed class SpecReader
{
    private readonly JsonElement _element;
    private readonly string _prefix;
    private readonly Dictionary<string, List<string>> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public SpecReader(JsonElement element)
        : this(element, "", new Dictionary<string, List<string>>(StringComparer.Ordinal))
    {
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            Error("", "Parameters must be a JSON object.");
        }
    }

    private SpecReader(JsonElement element, string prefix, Dictionary<string, List<string>> errors)
    {
        _element = element;
        _prefix = prefix;
        _errors = errors;
    }

    public bool HasErrors => _errors.Count > 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public void Error(string name, string message)
    {
        var path = Path(name);
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Reports every property that no read asked for, so typos do not pass silently.</summary>
    public void RejectUnknown()
    {
        if (_element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name))
            {
                Error(property.Name, $"Unknown parameter '{property.Name}'.");
            }
        }
    }

    public string? String(string name, string? fallback, bool required = false, IReadOnlyList<string>? allowed = null, int maxLength = 100_000)
    {
        if (!TryGet(name, required, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(name, $"Must be a string, not {Describe(value)}.");
            return fallback;
        }

        var text = value.GetString()!;
        if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Error(name, $"Must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}; got '{text}'.");
            return fallback;
        }

        if (text.Length > maxLength)
        {
            Error(name, $"Must be at most {maxLength} characters; got {text.Length}.");
            return fallback;
        }

        if (required && text.Length == 0)
        {
            Error(name, "Must not be empty.");
        }

        return text;
    }

    public int Integer(string name, int fallback, int min, int max)
    {
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Error(name, $"Must be an integer, not {Describe(value)}.");
            return fallback;
        }

        if (number < min || number > max)
        {
            Error(name, $"Must be between {min} and {max}; got {number}.");
            return fallback;
        }

        return number;
    }

    public double Number(string name, double fallback, double min, double max) => NullableNumber(name, fallback, min, max) ?? fallback;

    public double? NullableNumber(string name, double? fallback, double min, double max)
    {
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            Error(name, $"Must be a finite number, not {Describe(value)}.");
            return fallback;
        }

        if (number < min || number > max)
        {
            Error(name, $"Must be between {min} and {max}; got {number}.");
            return fallback;
        }

        return number;
    }

    public bool Boolean(string name, bool fallback)
    {
        if (!TryGet(name, false, out var value))
        {
            return fallback;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, $"Must be true or false, not {Describe(value)}.");
            return fallback;
        }

        return value.GetBoolean();
    }

    public JsonElement? Raw(string name, JsonValueKind kind, bool required = false)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != kind)
        {
            Error(name, $"Must be {(kind == JsonValueKind.Array ? "an array" : "an object")}, not {Describe(value)}.");
            return null;
        }

        return value;
    }

    public SpecReader? Object(string name, bool required = false) =>
        Raw(name, JsonValueKind.Object, required) is { } value ? new SpecReader(value, Path(name) + ".", _errors) : null;

    public IReadOnlyList<SpecReader> Objects(string name)
    {
        if (Raw(name, JsonValueKind.Array) is not { } array)
        {
            return [];
        }

        var items = new List<SpecReader>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{Path(name)}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                _errors[path] = [$"Must be an object, not {Describe(item)}."];
                continue;
            }

            items.Add(new SpecReader(item, path + ".", _errors));
        }

        return items;
    }

    public IReadOnlyList<string> Strings(string name, int maxCount = 64)
    {
        if (Raw(name, JsonValueKind.Array) is not { } array)
        {
            return [];
        }

        var items = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Error(name, $"Every entry must be a string; entry {items.Count} is {Describe(item)}.");
                return [];
            }

            items.Add(item.GetString()!);
        }

        if (items.Count > maxCount)
        {
            Error(name, $"At most {maxCount} entries; got {items.Count}.");
        }

        return items;
    }

    public IReadOnlyDictionary<string, string> StringMap(string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Raw(name, JsonValueKind.Object) is not { } value)
        {
            return map;
        }

        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                Error($"{name}.{property.Name}", $"Must be a string, not {Describe(property.Value)}.");
                continue;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }

    /// <summary>Reads metric definitions: <c>[{"name", "goal", "min", "max", "shownToModel", "digits", "description"}]</c>.</summary>
    public IReadOnlyList<MetricDefinition> Metrics(string name)
    {
        var metrics = new List<MetricDefinition>();
        foreach (var m in Objects(name))
        {
            var metricName = m.String("name", "", required: true, maxLength: 100) ?? "";
            var goal = m.String("goal", "maximize", allowed: ["maximize", "minimize"]) == "minimize" ? MetricGoal.Minimize : MetricGoal.Maximize;
            var min = m.NullableNumber("min", null, double.MinValue, double.MaxValue);
            var max = m.NullableNumber("max", null, double.MinValue, double.MaxValue);
            var shown = m.Boolean("shownToModel", true);
            var digits = m.Integer("digits", 6, 1, 17);
            var description = m.String("description", null, maxLength: 1000);
            m.RejectUnknown();
            metrics.Add(new MetricDefinition(metricName, goal, min, max, shown, digits, description));
        }

        return metrics;
    }

    /// <summary>Reads feature definitions: <c>[{"name", "min", "max", "description", "bins"}]</c>.</summary>
    public IReadOnlyList<FeatureDefinition> Features(string name)
    {
        var features = new List<FeatureDefinition>();
        foreach (var f in Objects(name))
        {
            var featureName = f.String("name", "", required: true, maxLength: 100) ?? "";
            var min = f.Number("min", 0, double.MinValue, double.MaxValue);
            var max = f.Number("max", 1, double.MinValue, double.MaxValue);
            if (!(max > min))
            {
                f.Error("max", "Must be greater than min.");
            }

            var description = f.String("description", "", maxLength: 1000) ?? "";
            var bins = f.Integer("bins", 10, 1, 1000);
            f.RejectUnknown();
            features.Add(new FeatureDefinition(featureName, min, max, description, bins));
        }

        return features;
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        _read.Add(name);
        value = default;
        if (_element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(name, out value))
        {
            return true;
        }

        if (required)
        {
            Error(name, "Required.");
        }

        return false;
    }

    private string Path(string name) => _prefix + name;

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Clip(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
