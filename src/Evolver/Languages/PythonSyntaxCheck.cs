using System.Globalization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Languages;

/// <summary>
/// Compiles a Python program to bytecode in a jailed folder with the evaluator's interpreter (nothing runs):
/// syntax errors, bad indentation and misplaced 'return' come back as diagnostics, before an evaluation is spent.
/// </summary>
public sealed class PythonSyntaxCheck(ICandidateRunner runner, string interpreter) : ICodeCheck
{
    private const string File = "candidate.py";

    // compile() rather than ast.parse(): it also rejects what only the compiler sees ('return' outside a function).
    private const string Script = """
        import sys
        path = sys.argv[1]
        try:
            compile(open(path, encoding="utf-8").read(), path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            print(f"{getattr(e, 'lineno', 0) or 0}\t{getattr(e, 'offset', 0) or 0}\t{type(e).__name__}\t{getattr(e, 'msg', str(e))}")
            sys.exit(1)
        """;

    private static readonly RunLimits s_limits = RunLimits.Default with { WallTime = TimeSpan.FromSeconds(20), MaxOutputBytes = 64 * 1024 };

    public async Task<IReadOnlyList<SourceDiagnostic>> CheckAsync(string source, CancellationToken ct)
    {
        var run = await runner.RunCommandAsync(new CommandInvocation(interpreter, ["-c", Script, File], new Dictionary<string, string> { [File] = source }, s_limits), ct);
        if (run.Outcome == RunOutcome.Ok && run.ExitCode == 0)
        {
            return [];
        }

        if (run.Outcome == RunOutcome.Ok && run.ExitCode == 1 && run.StandardOutput.Trim().Split('\t', 4) is [var line, var column, var kind, var message])
        {
            return [new SourceDiagnostic(kind, message, Number(line), Number(column))];
        }

        // The interpreter is missing, or the check itself failed: the program cannot be vouched for.
        var why = run.Outcome != RunOutcome.Ok ? run.Outcome.ToString() : $"exit code {run.ExitCode}";
        return [new SourceDiagnostic("python-check", $"The syntax check with '{interpreter}' failed ({why}): {Clip(run.StandardError)}", 0, 0)];
    }

    private static int Number(string text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Max(0, n) : 0;

    private static string Clip(string text) => text.Length > 500 ? text[..500] : text.Trim();
}
