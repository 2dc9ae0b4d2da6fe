using System.Text;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Worker.Compilation;

/// <summary>
/// Cheap checks before parsing. Roslyn can take exponential time or overflow its stack on pathological
/// nesting (dotnet/roslyn#38402, #48578), so size and nesting are bounded before the compiler sees the text.
/// </summary>
internal static class SourceLimits
{
    public const int MaxNesting = 48;
    public const int MaxLines = 5_000;

    public static SourceDiagnostic? Check(string source, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetByteCount(source);
        if (bytes > maxBytes)
        {
            return Refusal($"the source is {bytes} bytes; the limit is {maxBytes}");
        }

        var depth = 0;
        var lines = 1;
        foreach (var c in source)
        {
            switch (c)
            {
                case '(' or '[' or '{':
                    if (++depth > MaxNesting)
                    {
                        return Refusal($"brackets nest deeper than {MaxNesting} levels");
                    }

                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '\n':
                    lines++;
                    break;
            }
        }

        return lines > MaxLines ? Refusal($"the source has {lines} lines; the limit is {MaxLines}") : null;
    }

    private static SourceDiagnostic Refusal(string why) =>
        new(Id, $"Source limit: {why}.", 0, 0);

    /// <summary>Diagnostic id of a source-limit refusal (reported as a compile error).</summary>
    public const string Id = "SourceLimit";
}
