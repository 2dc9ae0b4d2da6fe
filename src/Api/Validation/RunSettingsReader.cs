using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Search;

namespace EvoCode.Api.Validation;

/// <summary>
/// Reads run settings given as any subset of <see cref="RunSettings"/> over a base (the problem's defaults), and checks
/// every value against the range the engine can honour.
/// </summary>
internal static class RunSettingsReader
{
    private static readonly string[] s_selections = ["power-law", "weighted", "uniform", "hill-climb"];
    private static readonly string[] s_ensemblePolicies = ["fixed", "bandit"];

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

    public static void Validate(RunSettings s, string field, IReadOnlyCollection<string> modelNames, FieldErrors errors)
    {
        void Range(string name, double? value, double min, double max)
        {
            if (value is { } v && (!double.IsFinite(v) || v < min || v > max))
            {
                errors.Add($"{field}.{name}", $"Must be between {min} and {max}.");
            }
        }

        Range("maxEvaluations", s.MaxEvaluations, 1, 10_000_000);
        Range("maxProposals", s.MaxProposals, 1, 100_000_000);
        Range("maxTokens", s.MaxTokens, 1, 1e13);
        Range("maxCost", (double?)s.MaxCost, 0.000001, 1_000_000);
        Range("maxWallTimeSeconds", s.MaxWallTimeSeconds, 1, 90 * 24 * 3600);
        Range("targetScore", s.TargetScore, double.MinValue, double.MaxValue);
        Range("islands", s.Islands, 1, 64);
        Range("migrationInterval", s.MigrationInterval, 1, 10_000_000);
        Range("migrationCount", s.MigrationCount, 0, 1000);
        Range("proposalConcurrency", s.ProposalConcurrency, 1, 64);
        Range("evaluationConcurrency", s.EvaluationConcurrency, 1, 64);
        Range("exploitRatio", s.ExploitRatio, 0, 1);
        Range("powerLawAlpha", s.PowerLawAlpha, 0, 100);
        Range("inspirations", s.Inspirations, 0, 50);
        Range("nearDuplicateThreshold", s.NearDuplicateThreshold, 0, 1);
        Range("metaSummaryInterval", s.MetaSummaryInterval, 1, 1_000_000);
        Range("evaluationTimeoutSeconds", s.EvaluationTimeoutSeconds, 0.1, 3600);
        if (s.MaxEvaluations is null && s.MaxProposals is null && s.MaxTokens is null && s.MaxCost is null && s.MaxWallTimeSeconds is null)
        {
            errors.Add($"{field}.maxEvaluations", "A run needs at least one budget: maxEvaluations, maxProposals, maxTokens, maxCost or maxWallTimeSeconds.");
        }

        if (!s_selections.Contains(s.ParentSelection))
        {
            errors.Add($"{field}.parentSelection", $"Must be one of {string.Join(", ", s_selections)}.");
        }

        if (!s_ensemblePolicies.Contains(s.EnsemblePolicy))
        {
            errors.Add($"{field}.ensemblePolicy", $"Must be one of {string.Join(", ", s_ensemblePolicies)}.");
        }

        if (s.FeatureDimensions is { Count: > 0 } dimensions)
        {
            ValidateDimensions(dimensions, $"{field}.featureDimensions", errors);
        }

        foreach (var (name, weight) in s.Operators ?? new Dictionary<string, double>())
        {
            if (!double.IsFinite(weight) || weight < 0)
            {
                errors.Add($"{field}.operators.{name}", "A weight must be a finite number >= 0.");
            }
        }

        foreach (var (name, weight) in s.Models ?? new Dictionary<string, double>())
        {
            if (!modelNames.Contains(name))
            {
                errors.Add($"{field}.models.{name}", modelNames.Count == 0 ? "No language model is configured on this server." : $"Unknown model; configured: {string.Join(", ", modelNames)}.");
            }
            else if (!double.IsFinite(weight) || weight < 0)
            {
                errors.Add($"{field}.models.{name}", "A weight must be a finite number >= 0.");
            }
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
        if (dimensions.Count > 4)
        {
            errors.Add(field, "At most 4 dimensions.");
        }

        try
        {
            _ = new FeatureGrid(dimensions);
        }
        catch (ArgumentException e)
        {
            errors.Add(field, e.Message.Split(" (Parameter", 2)[0]);
        }

        if (dimensions.Any(d => string.IsNullOrWhiteSpace(d.Name) || d.Bins > 1000))
        {
            errors.Add(field, "Every dimension needs a name and at most 1000 bins.");
        }
    }
}
