using System.Text;
using System.Text.RegularExpressions;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// Turns a user's evaluator script into a compilation unit the sandbox compiles like any candidate. A script
/// that declares <c>class Evaluator</c> is used as written. Otherwise it is a script body in the style of
/// Roslyn scripting with a global <c>output</c> (the candidate's output, converted to the declared type),
/// leading <c>using</c> directives allowed, ending in <c>return</c> of a <c>Dictionary&lt;string, double&gt;</c>.
/// </summary>
public static partial class ScriptSource
{
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

        var lines = script.Replace("\r\n", "\n").Split('\n');
        var usings = new StringBuilder();
        var first = 0;
        while (first < lines.Length && (lines[first].TrimStart().StartsWith("using ", StringComparison.Ordinal) || lines[first].Trim().Length == 0 || lines[first].TrimStart().StartsWith("//", StringComparison.Ordinal)))
        {
            usings.Append(lines[first]).Append('\n');
            first++;
        }

        var body = string.Join('\n', lines[first..]);
        var wrapped = new StringBuilder();
        wrapped.Append("using System;\nusing System.Collections.Generic;\nusing System.Linq;\n");
        wrapped.Append(usings);
        wrapped.Append("public static class Evaluator\n{\n");
        wrapped.Append("    public static Dictionary<string, double> Evaluate(").Append(outputType).Append(" output)\n    {\n");

        // Diagnostics then point at the user's own line numbers.
        wrapped.Append("#line ").Append(first + 1).Append('\n');
        wrapped.Append(body).Append('\n');
        wrapped.Append("#line default\n    }\n}\n");
        return wrapped.ToString();
    }

    [GeneratedRegex(@"\b(class|struct|record)\s+Evaluator\b")]
    private static partial Regex ClassDeclaration();
}
