using System.Reflection;
using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>
/// Runs a user's evaluator script (itself compiled and sandboxed like a candidate) on a candidate's raw
/// output and returns <c>{"metrics": {name: value}}</c>. Parameters: <c>{"type": "Evaluator", "method":
/// "Evaluate", "output": "&lt;the candidate's raw JSON&gt;"}</c>.
/// </summary>
/// <remarks>
/// The script's <c>Evaluate</c> takes the output as its first parameter, converted to that parameter's
/// type: <c>string</c> receives the raw JSON text, <c>object</c> a tree of double, string, bool, null,
/// <c>object?[]</c> and <c>Dictionary&lt;string, object?&gt;</c>, and any other type (such as
/// <c>double[][]</c>) is deserialized from the JSON. It returns metrics as a dictionary of finite numbers,
/// or throws to reject the candidate with its message.
/// </remarks>
public sealed class ScriptHarness : ICandidateHarness
{
    /// <summary>The harness name.</summary>
    public const string HarnessName = "script";

    /// <inheritdoc />
    public string Name => HarnessName;

    /// <inheritdoc />
    public string Run(Assembly candidate, JsonElement parameters, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(context);
        var (typeName, methodName) = EntryPoints.Names(parameters, "Evaluator", "Evaluate");
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty("output", out var outputText) || outputText.ValueKind != JsonValueKind.String)
        {
            throw new HarnessException("The script harness was not given the candidate's output.");
        }

        var method = EntryPoints.Find(candidate, typeName, methodName);
        var declared = method.GetParameters();
        var values = new object?[declared.Length];
        var outputGiven = false;
        for (var i = 0; i < declared.Length; i++)
        {
            var type = declared[i].ParameterType;
            if (type == typeof(HarnessContext))
            {
                values[i] = context;
            }
            else if (!outputGiven)
            {
                values[i] = Convert(outputText.GetString()!, type);
                outputGiven = true;
            }
            else
            {
                throw new HarnessException($"{typeName}.{methodName} may take the candidate's output and a HarnessContext, nothing else.");
            }
        }

        var returned = EntryPoints.Invoke(method, values);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (returned)
        {
            case IEnumerable<KeyValuePair<string, double>> pairs:
                foreach (var (name, value) in pairs)
                {
                    if (metrics.Count == 256)
                    {
                        throw new HarnessException("The script returned more than 256 metrics.");
                    }

                    metrics[name ?? throw new HarnessException("The script returned a metric without a name.")] = value;
                }

                break;
            default:
                throw new HarnessException($"{typeName}.{methodName} returned {returned?.GetType().Name ?? "null"}; return a Dictionary<string, double> of metrics.");
        }

        return JsonSerializer.Serialize(new { metrics }, EntryPoints.OutputOptions);
    }

    private static object? Convert(string json, Type type)
    {
        if (type == typeof(string))
        {
            return json;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return type == typeof(object) ? Plain(document.RootElement) : document.RootElement.Deserialize(type, EntryPoints.OutputOptions);
        }
        catch (JsonException e)
        {
            throw new HarnessException($"The candidate's output does not convert to {type.Name}: {e.Message}");
        }
    }

    private static object? Plain(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.String => element.GetString() is "NaN" or "Infinity" or "-Infinity" ? double.Parse(element.GetString()!) : element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(Plain).ToArray(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.Ordinal),
        _ => null,
    };
}
