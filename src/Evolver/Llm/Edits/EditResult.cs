namespace EvoCode.Evolver.Llm;

/// <summary>The outcome of applying a reply's edit to a parent: the child's source, or the reason (phrased for the model) there is none.</summary>
/// <param name="Source">The child, when the edit applied.</param>
/// <param name="Error">Why it did not, when it did not.</param>
/// <param name="Notes">What was tolerated on the way (for example a whitespace-tolerant match), for the record.</param>
public sealed record EditResult(string? Source, string? Error, IReadOnlyList<string> Notes)
{
    /// <summary>Whether a child came out.</summary>
    public bool Succeeded => Source is not null;

    internal static EditResult Fail(string error, IReadOnlyList<string>? notes = null) => new(null, error, notes ?? []);
}
