using System.Text;
using System.Text.RegularExpressions;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// Turns a user's evaluator script into a compilation unit the sandbox compiles like any candidate. A script
/// that declares <c>class Evaluator</c> is used as written. Otherwise it is a script body in the style of
/// Roslyn scripting with a global <c>output</c> (the candidate's output, converted to the declared type),
/// leading <c>using</c> directives allowed, ending in <c>return</c> of a <c>Dictionary&lt;string, double&gt;</c>;
/// it is wrapped into a method of a class <c>Evaluator</c> without changing any line number.
/// </summary>
public static partial class ScriptSource
{
    private static readonly string[] s_defaultImports = ["using System;", "using System.Collections.Generic;", "using System.Linq;"];

    /// <summary>Output types a script body may declare for its <c>output</c> global.</summary>
    public static IReadOnlyList<string> OutputTypes { get; } = ["double[][]", "double[]", "double[][][]", "int[]", "int[][]", "double", "string", "object"];

    /// <summary>Whether the script declares its own <c>Evaluator</c> type.</summary>
    public static bool IsClassForm(string script) => ClassDeclaration().IsMatch(script);

    /// <summary>The compilation unit for a script.</summary>
    public static string Wrap(string script, string outputType)
    {
        ArgumentNullException.ThrowIfNull(script);
        if (IsClassForm(script))
        {
            return script;
        }

        var lines = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var first = 0;
        while (first < lines.Length && IsPreamble(lines[first]))
        {
            first++;
        }

        // The sandbox refuses #line, so the wrapper goes on the same line as the first statement: every
        // user line keeps its number and compiler diagnostics point at the script as written.
        var header = new StringBuilder();
        foreach (var import in s_defaultImports)
        {
            if (!lines[..first].Any(l => l.Trim() == import))
            {
                header.Append(import).Append(' ');
            }
        }

        header.Append("public static class Evaluator { public static Dictionary<string, double> Evaluate(").Append(outputType).Append(" output) { ");
        var wrapped = new StringBuilder();
        foreach (var line in lines[..first])
        {
            wrapped.Append(line).Append('\n');
        }

        wrapped.Append(header);
        wrapped.Append(string.Join('\n', lines[first..]));
        wrapped.Append("\n} }\n");
        return wrapped.ToString();
    }

    private static bool IsPreamble(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length == 0 || trimmed.StartsWith("//", StringComparison.Ordinal) || (trimmed.StartsWith("using ", StringComparison.Ordinal) && trimmed.TrimEnd().EndsWith(';'));
    }

    [GeneratedRegex(@"\b(class|struct|record)\s+Evaluator\b")]
    private static partial Regex ClassDeclaration();
}
