using System.Reflection;
using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>
/// Calls a public static method of the candidate with JSON arguments and returns what it returns,
/// serialized as JSON. Parameters: <c>{"type": "Candidate", "method": "Run", "args": [ ... ]}</c>.
/// A method may take a trailing <see cref="HarnessContext"/> parameter to receive randomness and output.
/// </summary>
public sealed class InvokeHarness : ICandidateHarness
{
    /// <inheritdoc />
    public string Name => "invoke";

    /// <inheritdoc />
    public string Run(Assembly candidate, JsonElement parameters, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(context);
        var typeName = parameters.TryGetProperty("type", out var t) ? t.GetString() ?? "Candidate" : "Candidate";
        var methodName = parameters.TryGetProperty("method", out var m) ? m.GetString() ?? "Run" : "Run";
        var args = parameters.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array ? a : default;

        var method = EntryPoints.Find(candidate, typeName, methodName);
        var declared = method.GetParameters();
        var values = new object?[declared.Length];
        var argIndex = 0;
        for (var i = 0; i < declared.Length; i++)
        {
            if (declared[i].ParameterType == typeof(HarnessContext))
            {
                values[i] = context;
                continue;
            }

            if (args.ValueKind != JsonValueKind.Array || argIndex >= args.GetArrayLength())
            {
                throw new HarnessException($"Entry point {typeName}.{methodName} expects argument '{declared[i].Name}', which the harness was not given.");
            }

            values[i] = args[argIndex++].Deserialize(declared[i].ParameterType);
        }

        var result = EntryPoints.Invoke(method, values);
        return JsonSerializer.Serialize(result, EntryPoints.OutputOptions);
    }
}
