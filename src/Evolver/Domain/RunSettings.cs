namespace EvoCode.Evolver.Domain;

/// <summary>
/// How a run searches and when it stops. A problem carries defaults; a run may override any of them.
/// Stored as one JSON document so new settings need no migration.
/// </summary>
public sealed record RunSettings
{
    // Budgets: the run stops at whichever comes first.
    public int? MaxProposals { get; init; }

    public int? MaxEvaluations { get; init; } = 200;

    public long? MaxTokens { get; init; }

    public decimal? MaxCost { get; init; }

    public double? MaxWallTimeSeconds { get; init; }

    public double? TargetScore { get; init; }

    /// <summary>
    /// Stall protection: model calls in a row that produced no program worth evaluating before the run ends as
    /// Failed with a reason starting "Stalled:".
    /// </summary>
    public int MaxCallsWithoutChild { get; init; } = 20;

    // Islands and migration.
    public int Islands { get; init; } = 2;

    /// <summary>Evaluations between migrations.</summary>
    public int MigrationInterval { get; init; } = 50;

    /// <summary>Elites each island sends to its neighbour on the ring.</summary>
    public int MigrationCount { get; init; } = 2;

    // Concurrency of the two slow stages.
    public int ProposalConcurrency { get; init; } = 1;

    public int EvaluationConcurrency { get; init; } = 1;

    /// <summary>Seed of the run's random source; with one proposal and one evaluation at a time, a run is reproducible.</summary>
    public int Seed { get; init; } = 42;

    // Selection.
    /// <summary>power-law, weighted, uniform, hill-climb or pareto (several objectives only).</summary>
    public string ParentSelection { get; init; } = "power-law";

    /// <summary>Share of parents picked by the exploiting strategy; the rest uniformly over filled cells.</summary>
    public double ExploitRatio { get; init; } = 0.9;

    /// <summary>Exponent of the power law over ranks; 3 gives the best elite about three draws in four (issue 22's tuning).</summary>
    public double PowerLawAlpha { get; init; } = 3.0;

    public int Inspirations { get; init; } = 3;

    /// <summary>The run's best programs shown in a prompt besides the parent and the inspirations (each program once).</summary>
    public int TopPrograms { get; init; } = 3;

    /// <summary>
    /// Token budgets of the prompt sections (history, top_programs, inspirations, failures, archive, exploration),
    /// counted with the tokenizer; entries past a budget are left out whole. 0 turns a section off; unset ones keep
    /// their defaults. An empty template of the same name in <see cref="PromptTemplates"/> turns it off too.
    /// </summary>
    public IReadOnlyDictionary<string, int>? PromptSectionTokens { get; init; }

    /// <summary>Token-set similarity above which a proposal counts as a near-duplicate of its parent.</summary>
    public double NearDuplicateThreshold { get; init; } = 0.995;

    /// <summary>
    /// Novelty by meaning (issue 19): cosine similarity of a proposal's code embedding to an elite of its island at or
    /// above which it is rejected as "similar-meaning"; <c>null</c> turns the check (and storing embeddings) off.
    /// </summary>
    public double? SemanticSimilarityThreshold { get; init; }

    /// <summary>Feature dimensions; <c>null</c> takes the problem's, and empty takes the built-in code features.</summary>
    public IReadOnlyList<FeatureDimension>? FeatureDimensions { get; init; }

    /// <summary>Operator names with weights; <c>null</c> takes the defaults for the configured models (or the built-in operators).</summary>
    public IReadOnlyDictionary<string, double>? Operators { get; init; }

    /// <summary>Largest share of the run's proposals that may be fixes (drawn while failures are recent).</summary>
    public double FixShareCap { get; init; } = 0.15;

    /// <summary>Fixes in a row a program may come from and still be fixed again (1: a fix never mends a fix's failure).</summary>
    public int FixDepthLimit { get; init; } = 1;

    // Seeding from another run (issue 19).
    /// <summary>A previous run of the same problem whose best programs seed this run's islands; <c>null</c> starts from the problem's seed only.</summary>
    public Guid? SeedRunId { get; init; }

    /// <summary>How many of <see cref="SeedRunId"/>'s best programs (distinct code) are taken, spread over the islands in turn.</summary>
    public int SeedRunTop { get; init; } = 10;

    // Constant tuning (the operator "tune", issue 19).
    /// <summary>Share of proposals that tune an elite's real-valued constants in the sandbox; 0 turns tuning off.</summary>
    public double TuningShare { get; init; }

    /// <summary>Sandbox evaluations one tuning may spend on trials, each counted in the evaluation budget (its child's own comes on top).</summary>
    public int TuningEvaluations { get; init; } = 24;

    /// <summary>Constants one tuning varies at most; an elite with more has a random subset of them tuned.</summary>
    public int TuningMaxConstants { get; init; } = 8;

    /// <summary>Configured model names with weights; empty uses the built-in operators only.</summary>
    public IReadOnlyDictionary<string, double>? Models { get; init; }

    /// <summary>fixed or bandit.</summary>
    public string EnsemblePolicy { get; init; } = "fixed";

    /// <summary>
    /// Prompt templates that replace the defaults, by name (system, diff, rewrite, crossover, fix, feedback, meta);
    /// Semantic Kernel template syntax (<c>{{$parent_code}}</c>, ...). A problem sets them in its default settings.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PromptTemplates { get; init; }

    /// <summary>Whether prompts may show the target score; by default the model never sees it.</summary>
    public bool ShowTarget { get; init; }

    /// <summary>Generations between meta-memory summaries; <c>null</c> turns them off.</summary>
    public int? MetaSummaryInterval { get; init; }

    // Quality-diversity (issue 22): archive shape, population, neutral moves, restarts, operator learning.
    /// <summary>learned (fitted around the seed's features) or declared (the dimensions' own bounds).</summary>
    public string FeatureBounds { get; init; } = "learned";

    /// <summary>grid (one cell per bin combination) or cvt (CVT-MAP-Elites: <see cref="CvtCells"/> centroids, for more than two dimensions).</summary>
    public string ArchiveLayout { get; init; } = "grid";

    /// <summary>Centroids of a cvt archive.</summary>
    public int CvtCells { get; init; } = 64;

    /// <summary>Recent correct programs each island keeps besides its elites (0: elites only).</summary>
    public int PopulationSize { get; init; } = 24;

    /// <summary>Share of parents drawn uniformly from the island's population instead of by the strategy over elites.</summary>
    public double PopulationShare { get; init; } = 0.1;

    /// <summary>
    /// Several objectives (ADR-024): 2 to 4 metrics with a goal each; every cell then keeps a front of mutually
    /// non-dominated programs besides its elite. Empty or <c>null</c>: the one scalar score, as before.
    /// </summary>
    public IReadOnlyList<Objective>? Objectives { get; init; }

    /// <summary>Members a cell's front keeps at most; over it, the most crowded leaves (NSGA-II's crowding distance).</summary>
    public int FrontSize { get; init; } = 8;

    /// <summary>Evaluations a cell's elite must have held it before an equal score may replace it; <c>null</c>: only strict improvement.</summary>
    public int? NeutralAge { get; init; } = 20;

    /// <summary>Evaluations an island may go without improving its best before it is restarted from the best programs of the others; <c>null</c>: never.</summary>
    public int? IslandStagnation { get; init; } = 150;

    /// <summary>Evaluations without improving the run's best after which the run completes early; <c>null</c>: never.</summary>
    public int? Patience { get; init; }

    /// <summary>fixed (the operator mix as given) or bandit (the mix learns from which operators improve their parents). Built-in operators only.</summary>
    public string OperatorPolicy { get; init; } = "bandit";

    /// <summary>Wall-clock limit of one sandboxed run in seconds; <c>null</c> takes the evaluator's default.</summary>
    public double? EvaluationTimeoutSeconds { get; init; }
}
