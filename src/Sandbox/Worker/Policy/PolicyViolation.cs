using EvoCode.Evaluators.Contract;
using Microsoft.CodeAnalysis;

namespace EvoCode.Sandbox.Worker.Policy;

/// <summary>Turns a rule and a place into a diagnostic the model can read.</summary>
internal static class PolicyViolation
{
    public static SourceDiagnostic Create(string rule, string what, Location? location)
    {
        var (line, column) = Position(location);
        return new SourceDiagnostic(PolicyRules.DiagnosticId(rule), $"Policy rule {rule}: '{what}' is refused ({ApiPolicy.Explain(rule)}).", line, column);
    }

    public static (int Line, int Column) Position(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return (0, 0);
        }

        var span = location.GetLineSpan().StartLinePosition;
        return (span.Line + 1, span.Character + 1);
    }
}
