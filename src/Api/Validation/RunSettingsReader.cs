using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Search;

namespace EvoCode.Api.Validation;

/// <summary>
/// Reads run settings given as any subset of <see cref="RunSettings"/> over a base (the problem's defaults), and checks
/// every value against the range the engine can honour.
/// </summary>
internal static class RunSettingsReader
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The base with <paramref name="overrides"/> applied, or null when they do not read (errors say why).</summary>
    public static RunSettings? Merge(RunSettings baseSettings, JsonElement? overrides, string field, FieldErrors errors)
    {
        if (overrides is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } given)
        {
            return baseSettings;
        }

        if (given.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "Must be an object of run settings.");
            return null;
        }

        var merged = JsonSerializer.SerializeToNode(baseSettings, s_options)!.AsObject();
        foreach (var property in given.EnumerateObject())
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            merged[name] = JsonNode.Parse(property.Value.GetRawText());
        }

        try
        {
            return merged.Deserialize<RunSettings>(s_options);
        }
        catch (JsonException e)
        {
            var path = e.Path is null or "$" ? field : $"{field}.{e.Path.TrimStart('$', '.')}";
            errors.Add(path, e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? "Unknown setting." : "Wrong type or malformed value.");
            return null;
        }
    }

    /// <summary>The domain's validation (the one the engine uses), with each field under <paramref name="field"/>.</summary>
    public static void Validate(RunSettings s, string field, IReadOnlyCollection<string> modelNames, IProgramLanguage? language, FieldErrors errors, IReadOnlyCollection<string>? metrics = null)
    {
        foreach (var error in RunSettingsValidator.Validate(s, modelNames, language, metrics))
        {
            errors.Add($"{field}.{error.Field}", error.Message);
        }
    }

    /// <summary>
    /// Refuses dimensions on a feature no program of this evaluator would have (its declared features and the
    /// built-in code features), which would otherwise fail the run after its seed.
    /// </summary>
    public static void RefuseUnmeasured(IReadOnlyList<FeatureDimension> dimensions, IReadOnlyList<FeatureDefinition> declared, string field, FieldErrors errors)
    {
        string[] known = [.. declared.Select(f => f.Name), CodeFeatures.Length, CodeFeatures.Complexity, CodeFeatures.Nesting];
        for (var i = 0; i < dimensions.Count; i++)
        {
            if (dimensions[i].Name is { } name && !known.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{field}[{i}].name", $"No feature '{name}' is measured for this evaluator; known: {string.Join(", ", known)}.");
            }
        }
    }

    public static void ValidateDimensions(IReadOnlyList<FeatureDimension> dimensions, string field, FieldErrors errors)
    {
        foreach (var message in RunSettingsValidator.ValidateDimensions(dimensions))
        {
            errors.Add(field, message);
        }
    }
}
