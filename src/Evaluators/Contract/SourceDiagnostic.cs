namespace EvoCode.Evaluators.Contract;

/// <summary>A compiler or policy message tied to a place in the candidate's source.</summary>
/// <param name="Id">Diagnostic id, such as CS0103 or a policy rule name.</param>
/// <param name="Message">The message, suitable to show a language model.</param>
/// <param name="Line">1-based line, or 0 when the message has no location.</param>
/// <param name="Column">1-based column, or 0 when the message has no location.</param>
/// <param name="Severity">"error" or "warning".</param>
public sealed record SourceDiagnostic(string Id, string Message, int Line, int Column, string Severity = "error")
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"({Line},{Column}): {Severity} {Id}: {Message}" : $"{Severity} {Id}: {Message}";
}
