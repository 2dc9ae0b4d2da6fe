namespace EvoCode.Evaluators.Examples;

/// <summary>A problem folder is malformed; <see cref="Errors"/> lists the problems by field.</summary>
public sealed class ProblemDefinitionException : Exception
{
    /// <summary>Creates the exception from field errors.</summary>
    public ProblemDefinitionException(string folder, IReadOnlyDictionary<string, string[]> errors)
        : base($"Problem folder '{folder}' is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ProblemDefinitionException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]> { [""] = [message] };
    }

    /// <summary>Creates an empty exception.</summary>
    public ProblemDefinitionException()
        : this("Invalid problem definition.")
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ProblemDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { [""] = [message] };
    }

    /// <summary>Messages by field of problem.json.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
