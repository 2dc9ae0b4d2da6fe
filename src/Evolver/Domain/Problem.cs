namespace EvoCode.Evolver.Domain;

/// <summary>What a user wants discovered: the task, the seed program, and how programs are scored.</summary>
public sealed class Problem
{
    public Guid Id { get; set; }

    /// <summary>Short unique name, such as "circle-packing-26".</summary>
    public required string Name { get; set; }

    public string? Title { get; set; }

    /// <summary>Task text given to the model.</summary>
    public required string Description { get; set; }

    /// <summary>The seed program, with EVOLVE-BLOCK markers.</summary>
    public required string SeedSource { get; set; }

    /// <summary>The language of its programs ("csharp", "python", ...; see <c>ProgramLanguages</c>): markers, tokens, operators and screen.</summary>
    public string Language { get; set; } = "csharp";

    /// <summary>The evaluator: a built-in catalogue id, or "script" / "command" for custom ones.</summary>
    public required string EvaluatorId { get; set; }

    /// <summary>The evaluator's parameters (or a custom evaluator's spec), as JSON.</summary>
    public string EvaluatorParameters { get; set; } = "{}";

    /// <summary>Archive feature dimensions, fixed for every run of the problem unless a run overrides them.</summary>
    public List<FeatureDimension> FeatureDimensions { get; set; } = [];

    /// <summary>Run settings every run starts from.</summary>
    public RunSettings DefaultSettings { get; set; } = new();

    public DateTimeOffset CreatedAt { get; set; }
}
