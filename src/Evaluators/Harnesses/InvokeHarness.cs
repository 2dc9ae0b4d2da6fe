using System.Reflection;
using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Harnesses;

/// <summary>
/// Calls a public static method of the candidate with JSON arguments and returns what it returns,
/// serialized as JSON. Parameters: <c>{"type": "Candidate", "method": "Run", "args": [ ... ]}</c>.
/// A method may take a <see cref="HarnessContext"/> parameter to receive randomness and output.
/// </summary>
public sealed class InvokeHarness : ICandidateHarness
{
    /// <summary>The harness name.</summary>
    public const string HarnessName = "invoke";

    /// <inheritdoc />
    public string Name => HarnessName;

    /// <inheritdoc />
    public string Run(Assembly candidate, JsonElement parameters, HarnessContext context)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(context);
        var (typeName, methodName) = EntryPoints.Names(parameters, "Candidate", "Run");
        var args = parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("args", out var a) ? a : default;
        var method = EntryPoints.Find(candidate, typeName, methodName);
        var result = EntryPoints.Invoke(method, EntryPoints.Bind(method, args, context));

        // Serialized at once, so nothing the candidate does later can change what is scored.
        return JsonSerializer.Serialize(result, EntryPoints.OutputOptions);
    }
}
