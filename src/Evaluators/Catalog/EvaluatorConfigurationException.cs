namespace EvoCode.Evaluators.Catalog;

/// <summary>An evaluator could not be created: an unknown id or bad parameters, with one or more messages per field.</summary>
public sealed class EvaluatorConfigurationException : Exception
{
    /// <summary>Creates the exception from field errors.</summary>
    public EvaluatorConfigurationException(IReadOnlyDictionary<string, string[]> errors)
        : base("Invalid evaluator configuration: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message.</summary>
    public EvaluatorConfigurationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]> { [""] = [message] };
    }

    /// <summary>Creates an empty exception.</summary>
    public EvaluatorConfigurationException()
        : this("Invalid evaluator configuration.")
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EvaluatorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { [""] = [message] };
    }

    /// <summary>Messages by field path ("n", "score.command"); the empty key is the parameters object itself.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
