namespace EvoCode.Evolver.Domain;

/// <summary>Counters of a run that are not derivable cheaply from its programs. Stored as one JSON document.</summary>
public sealed class RunStatistics
{
    /// <summary>Per operator name.</summary>
    public Dictionary<string, OperatorStatistics> Operators { get; set; } = [];

    /// <summary>Per model name.</summary>
    public Dictionary<string, OperatorStatistics> Models { get; set; } = [];

    /// <summary>Evaluation outcomes (Ok, CompileError, TimeLimit, ...) and "Incorrect" for valid runs whose output failed validation.</summary>
    public Dictionary<string, long> Outcomes { get; set; } = [];

    /// <summary>Proposals screened out, by reason (duplicate, near-duplicate, outside-markers, operator-failed, compile).</summary>
    public Dictionary<string, long> Rejections { get; set; } = [];

    // The time split, in milliseconds (see CandidateTimings for each part). Run one proposal and one evaluation at
    // a time and Start + Select + Propose + Screen + Store + Queue + Compile + Run + Score + Commit add up to the
    // run's active time; with more in flight they are summed over the slots. EvaluateMs = Compile + Run + Score.

    /// <summary>Loading the run from the store when its loop starts (each start and resume), and the loop's own steps around the seed.</summary>
    public double StartMs { get; set; }

    public double SelectMs { get; set; }

    public double ProposeMs { get; set; }

    public double ScreenMs { get; set; }

    /// <summary>Storing proposals, rejections, island migrants and restarts (their checks included).</summary>
    public double StoreMs { get; set; }

    public double QueueMs { get; set; }

    public double CompileMs { get; set; }

    public double RunMs { get; set; }

    public double ScoreMs { get; set; }

    public double EvaluateMs { get; set; }

    public double CommitMs { get; set; }

    /// <summary>Screens whose compile the sandbox reused.</summary>
    public long ScreenCacheHits { get; set; }

    /// <summary>Evaluations whose compile the sandbox reused.</summary>
    public long CompileCacheHits { get; set; }

    public long Migrations { get; set; }

    /// <summary>
    /// Compiles the evaluated programs cost in the sandbox, each program's own source counted over the operator's
    /// check, the screen and every run of its evaluation. Divided by the evaluations, the goal is 1.
    /// </summary>
    public long Compiles { get; set; }

    /// <summary>Cells the archive can hold, over all islands (bins or centroids × islands).</summary>
    public long ReachableCells { get; set; }

    /// <summary>Cells that hold an elite, over all islands.</summary>
    public long FilledCells { get; set; }

    /// <summary>Islands restarted from the best programs of the others after they stagnated.</summary>
    public long IslandRestarts { get; set; }

    /// <summary>The run's evaluation count when its best last improved (for patience).</summary>
    public long BestImprovedAt { get; set; }

    /// <summary>Sandbox evaluations constant tuning spent on trials: counted in the run's evaluations, not stored as programs.</summary>
    public long TuningEvaluations { get; set; }

    /// <summary>Model call attempts the run's ledger settled (mutation, fix, meta-memory), sent or cancelled after sending.</summary>
    public long ModelCalls { get; set; }

    /// <summary>Of <see cref="ModelCalls"/>, those whose usage the provider did not report and the tokenizer estimated.</summary>
    public long EstimatedModelCalls { get; set; }

    public OperatorStatistics For(Dictionary<string, OperatorStatistics> table, string name)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!table.TryGetValue(name, out var stats))
        {
            stats = new OperatorStatistics();
            table[name] = stats;
        }

        return stats;
    }

    /// <summary>Adds one evaluation's sandbox and scoring time, its compile-cache hit and its compiles.</summary>
    public void CountEvaluation(CandidateTimings timings, int compiles)
    {
        ArgumentNullException.ThrowIfNull(timings);
        CompileMs += timings.CompileMs;
        RunMs += timings.RunMs;
        ScoreMs += timings.ScoreMs;
        EvaluateMs += timings.EvaluateMs;
        CompileCacheHits += timings.CompileCached ? 1 : 0;
        Compiles += compiles;
    }

    public void Count(Dictionary<string, long> table, string key)
    {
        ArgumentNullException.ThrowIfNull(table);
        table[key] = table.GetValueOrDefault(key) + 1;
    }
}

/// <summary>How one operator or model fared.</summary>
public sealed class OperatorStatistics
{
    public long Proposed { get; set; }

    public long Rejected { get; set; }

    public long Evaluated { get; set; }

    public long Correct { get; set; }

    /// <summary>Children that scored above their parent.</summary>
    public long ImprovedOnParent { get; set; }

    /// <summary>Children that became a cell's elite.</summary>
    public long Elites { get; set; }

    /// <summary>Share of evaluated children that became elites.</summary>
    public double AcceptanceRate => Evaluated == 0 ? 0 : (double)Elites / Evaluated;
}
