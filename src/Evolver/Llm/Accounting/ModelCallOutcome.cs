namespace EvoCode.Evolver.Llm;

/// <summary>Outcome labels stored with each <see cref="ModelCallRecord"/>.</summary>
public static class ModelCallOutcome
{
    /// <summary>The model answered completely.</summary>
    public const string Ok = "ok";

    /// <summary>The reply stopped at the output token limit.</summary>
    public const string Truncated = "truncated";

    /// <summary>The attempt exceeded the model's timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The reply could not be read (bad JSON, missing choices...).</summary>
    public const string Malformed = "malformed";

    /// <summary>The connection failed before any status.</summary>
    public const string Network = "network";

    /// <summary>The caller cancelled the call.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The run's ledger refused the call: its worst case does not fit in what is left of the budget. Nothing was sent.</summary>
    public const string Budget = "budget";

    /// <summary>An HTTP error status, as "http-429", "http-500"...</summary>
    public static string Http(int status) => $"http-{status}";
}
