using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Domain;

/// <summary>One setting that cannot work: its field (camelCase, dotted below the settings object) and why.</summary>
public sealed record RunSettingsError(string Field, string Message);

/// <summary>
/// The one validation of run settings. The API refuses a run (400 with the field) and the engine refuses to start
/// one with the same checks, so the engine never fails a run for a setting the API accepted.
/// </summary>
public static class RunSettingsValidator
{
    /// <summary>Parent selection strategies.</summary>
    public static IReadOnlyList<string> Selections { get; } = ["power-law", "weighted", "uniform", "hill-climb", "pareto"];

    /// <summary>How feature bounds are chosen: fitted around the seed, or as declared.</summary>
    public static IReadOnlyList<string> FeatureBoundsModes { get; } = ["learned", "declared"];

    /// <summary>Archive layouts: a regular grid, or CVT-MAP-Elites centroids.</summary>
    public static IReadOnlyList<string> ArchiveLayouts { get; } = ["grid", "cvt"];

    /// <summary>Model ensemble policies (also the built-in operators' policy).</summary>
    public static IReadOnlyList<string> EnsemblePolicies { get; } = [EnsembleSettings.FixedPolicy, EnsembleSettings.BanditPolicy];

    /// <summary>Every problem with <paramref name="settings"/>, given the server's configured <paramref name="modelNames"/>.</summary>
    /// <remarks>
    /// <paramref name="language"/> decides which built-in operators exist; <c>null</c> (settings not tied to one problem)
    /// accepts any language's. <paramref name="metrics"/> are the evaluator's metric names an objective may name besides
    /// the built-in ones; <c>null</c> (no evaluator known) accepts any name.
    /// </remarks>
    public static IReadOnlyList<RunSettingsError> Validate(RunSettings settings, IReadOnlyCollection<string> modelNames, IProgramLanguage? language, IReadOnlyCollection<string>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(modelNames);
        var s = settings;
        var errors = new List<RunSettingsError>();
        void OneOf(string name, string value, IReadOnlyList<string> allowed)
        {
            if (!allowed.Contains(value, StringComparer.Ordinal))
            {
                errors.Add(new(name, $"Must be one of {string.Join(", ", allowed)}."));
            }
        }

        void Range(string name, double? value, double min, double max)
        {
            if (value is { } v && (!double.IsFinite(v) || v < min || v > max))
            {
                errors.Add(new(name, $"Must be between {min} and {max}."));
            }
        }

        Range("maxEvaluations", s.MaxEvaluations, 1, 10_000_000);
        Range("maxProposals", s.MaxProposals, 1, 100_000_000);
        Range("maxTokens", s.MaxTokens, 1, 1e13);
        Range("maxCost", (double?)s.MaxCost, 0.000001, 1_000_000);
        Range("maxWallTimeSeconds", s.MaxWallTimeSeconds, 1, 90 * 24 * 3600);
        Range("targetScore", s.TargetScore, double.MinValue, double.MaxValue);
        Range("maxCallsWithoutChild", s.MaxCallsWithoutChild, 1, 1_000_000);
        Range("islands", s.Islands, 1, 64);
        Range("migrationInterval", s.MigrationInterval, 1, 10_000_000);
        Range("migrationCount", s.MigrationCount, 0, 1000);
        Range("proposalConcurrency", s.ProposalConcurrency, 1, 64);
        Range("evaluationConcurrency", s.EvaluationConcurrency, 1, 64);
        Range("exploitRatio", s.ExploitRatio, 0, 1);
        Range("powerLawAlpha", s.PowerLawAlpha, 0, 100);
        Range("inspirations", s.Inspirations, 0, 50);
        Range("topPrograms", s.TopPrograms, 0, 20);
        Range("nearDuplicateThreshold", s.NearDuplicateThreshold, 0, 1);
        Range("fixShareCap", s.FixShareCap, 0, 1);
        Range("fixDepthLimit", s.FixDepthLimit, 0, 100);
        Range("semanticSimilarityThreshold", s.SemanticSimilarityThreshold, 0, 1);
        Range("seedRunTop", s.SeedRunTop, 1, 1000);
        Range("tuningShare", s.TuningShare, 0, 0.95);
        Range("tuningEvaluations", s.TuningEvaluations, 1, 100_000);
        Range("tuningMaxConstants", s.TuningMaxConstants, 1, 1000);
        Range("metaSummaryInterval", s.MetaSummaryInterval, 1, 1_000_000);
        Range("evaluationTimeoutSeconds", s.EvaluationTimeoutSeconds, 0.1, 3600);
        Range("cvtCells", s.CvtCells, 2, 10_000);
        Range("populationSize", s.PopulationSize, 0, 10_000);
        Range("populationShare", s.PopulationShare, 0, 1);
        Range("neutralAge", s.NeutralAge, 0, 10_000_000);
        Range("islandStagnation", s.IslandStagnation, 1, 10_000_000);
        Range("patience", s.Patience, 1, 10_000_000);
        Range("frontSize", s.FrontSize, 1, 256);
        OneOf("featureBounds", s.FeatureBounds, FeatureBoundsModes);
        OneOf("archiveLayout", s.ArchiveLayout, ArchiveLayouts);
        OneOf("operatorPolicy", s.OperatorPolicy, EnsemblePolicies);
        if (s.MaxEvaluations is null && s.MaxProposals is null && s.MaxTokens is null && s.MaxCost is null && s.MaxWallTimeSeconds is null)
        {
            errors.Add(new("maxEvaluations", "A run needs at least one budget: maxEvaluations, maxProposals, maxTokens, maxCost or maxWallTimeSeconds."));
        }

        if (!Selections.Contains(s.ParentSelection, StringComparer.Ordinal))
        {
            errors.Add(new("parentSelection", $"Must be one of {string.Join(", ", Selections)}."));
        }

        if (!EnsemblePolicies.Contains(s.EnsemblePolicy, StringComparer.Ordinal))
        {
            errors.Add(new("ensemblePolicy", $"Must be one of {string.Join(", ", EnsemblePolicies)}."));
        }

        if (s.FeatureDimensions is { Count: > 0 } dimensions)
        {
            errors.AddRange(ValidateDimensions(dimensions).Select(m => new RunSettingsError("featureDimensions", m)));
        }

        ValidateObjectives(s, metrics, errors);
        ValidateModels(s, modelNames, errors);
        ValidateOperators(s, language, errors);
        ValidateTemplates(s, errors);
        foreach (var (name, tokens) in s.PromptSectionTokens ?? new Dictionary<string, int>())
        {
            if (!PromptSections.Names.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new($"promptSectionTokens.{name}", $"Unknown prompt section; known: {string.Join(", ", PromptSections.Names)}."));
            }
            else if (tokens is < 0 or > 200_000)
            {
                errors.Add(new($"promptSectionTokens.{name}", "Must be between 0 and 200000."));
            }
        }

        return errors;
    }

    /// <summary>What is wrong with a set of feature dimensions (messages, no field).</summary>
    public static IReadOnlyList<string> ValidateDimensions(IReadOnlyList<FeatureDimension> dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        var errors = new List<string>();
        if (dimensions.Count > 4)
        {
            errors.Add("At most 4 dimensions.");
        }

        try
        {
            _ = new FeatureGrid(dimensions);
        }
        catch (ArgumentException e)
        {
            errors.Add(e.Message.Split(" (Parameter", 2)[0]);
        }

        if (dimensions.Any(d => string.IsNullOrWhiteSpace(d.Name) || d.Bins > 1000))
        {
            errors.Add("Every dimension needs a name and at most 1000 bins.");
        }

        return errors;
    }

    private static void ValidateObjectives(RunSettings s, IReadOnlyCollection<string>? metrics, List<RunSettingsError> errors)
    {
        var objectives = s.Objectives ?? [];
        if (objectives.Count is 1 or > 4)
        {
            errors.Add(new("objectives", "Give none (the one score) or 2 to 4 objectives."));
        }

        if (s.ParentSelection == "pareto" && objectives.Count < 2)
        {
            errors.Add(new("parentSelection", "pareto needs 2 to 4 objectives."));
        }

        var known = metrics is null ? null : Objective.BuiltIn.Concat(metrics).Distinct(StringComparer.Ordinal).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < objectives.Count; i++)
        {
            var (metric, goal) = (objectives[i]?.Metric, objectives[i]?.Goal);
            if (string.IsNullOrWhiteSpace(metric))
            {
                errors.Add(new($"objectives[{i}].metric", "Name a metric."));
            }
            else if (known is not null && !known.Contains(metric, StringComparer.Ordinal))
            {
                errors.Add(new($"objectives[{i}].metric", $"Unknown metric; known: {string.Join(", ", known)}."));
            }
            else if (!seen.Add(metric))
            {
                errors.Add(new($"objectives[{i}].metric", "Each metric may be one objective only."));
            }

            if (goal is null || !Objective.Goals.Contains(goal, StringComparer.Ordinal))
            {
                errors.Add(new($"objectives[{i}].goal", $"Must be one of {string.Join(", ", Objective.Goals)}."));
            }
        }
    }

    private static void ValidateModels(RunSettings s, IReadOnlyCollection<string> modelNames, List<RunSettingsError> errors)
    {
        foreach (var (name, weight) in s.Models ?? new Dictionary<string, double>())
        {
            if (!modelNames.Contains(name))
            {
                errors.Add(new($"models.{name}", modelNames.Count == 0 ? "No language model is configured on this server." : $"Unknown model; configured: {string.Join(", ", modelNames)}."));
            }
            else if (!double.IsFinite(weight) || weight < 0)
            {
                errors.Add(new($"models.{name}", "A weight must be a finite number >= 0."));
            }
        }

        if (s.Models is { Count: > 0 } models && s.EnsemblePolicy == EnsembleSettings.FixedPolicy && !models.Values.Any(w => w > 0))
        {
            errors.Add(new("models", "A fixed ensemble needs a model with a positive weight."));
        }
    }

    private static void ValidateOperators(RunSettings s, IProgramLanguage? language, List<RunSettingsError> errors)
    {
        // Language-model operators exist only for runs that name models; the built-in ones always.
        var builtin = language?.Operators ?? ProgramLanguages.All.SelectMany(l => l.Operators);
        var known = builtin.Select(o => o.Name).Distinct(StringComparer.Ordinal).ToList();
        if (s.Models is { Count: > 0 })
        {
            known = [.. LanguageModelRunSettings.OperatorNames.Concat(known).Distinct(StringComparer.Ordinal)];
        }

        foreach (var (name, weight) in s.Operators ?? new Dictionary<string, double>())
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                errors.Add(new($"operators.{name}", $"Unknown operator; known{(s.Models is { Count: > 0 } ? "" : " without models")}: {string.Join(", ", known)}."));
            }
            else if (!double.IsFinite(weight) || weight < 0)
            {
                errors.Add(new($"operators.{name}", "A weight must be a finite number >= 0."));
            }
        }

        if (s.Operators is { Count: > 0 } mix && !mix.Values.Any(w => double.IsFinite(w) && w > 0))
        {
            errors.Add(new("operators", "At least one operator needs a positive weight."));
        }
    }

    private static void ValidateTemplates(RunSettings s, List<RunSettingsError> errors)
    {
        if (s.PromptTemplates is not { Count: > 0 } templates)
        {
            return;
        }

        var unknown = templates.Keys.Where(n => !PromptLibrary.Names.Contains(n, StringComparer.Ordinal)).ToList();
        foreach (var name in unknown)
        {
            errors.Add(new($"promptTemplates.{name}", $"Unknown prompt template; known: {string.Join(", ", PromptLibrary.Names)}."));
        }

        if (unknown.Count > 0)
        {
            return;
        }

        try
        {
            // Compiling the library is the check the run would make on its first proposal.
            _ = new PromptLibrary(templates);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            errors.Add(new("promptTemplates", $"A template does not compile: {e.Message}"));
        }
    }
}
