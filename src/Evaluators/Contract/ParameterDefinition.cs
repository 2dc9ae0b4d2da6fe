namespace EvoCode.Evaluators.Contract;

/// <summary>One parameter an evaluator accepts, as shown by the catalogue and checked on creation.</summary>
/// <param name="Name">The JSON property name.</param>
/// <param name="Type">"integer", "number", "string", "boolean", "object" or "array".</param>
/// <param name="Default">The value used when the parameter is absent; <c>null</c> when it is required or has no default.</param>
/// <param name="Description">What the parameter controls.</param>
/// <param name="Min">Smallest allowed value for numbers.</param>
/// <param name="Max">Largest allowed value for numbers.</param>
/// <param name="AllowedValues">The closed set of allowed strings, when there is one.</param>
/// <param name="Required">Whether creation fails without it.</param>
public sealed record ParameterDefinition(
    string Name,
    string Type,
    object? Default,
    string Description,
    double? Min = null,
    double? Max = null,
    IReadOnlyList<string>? AllowedValues = null,
    bool Required = false);
