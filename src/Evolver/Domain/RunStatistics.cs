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

    public double ProposeMs { get; set; }

    public double EvaluateMs { get; set; }

    public double StoreMs { get; set; }

    public long Migrations { get; set; }

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
