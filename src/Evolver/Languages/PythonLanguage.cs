using System.Text.Json;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Languages;

/// <summary>Python: '#' markers, indentation as tokens, and a syntax check in the jail with the interpreter the evaluator runs.</summary>
public sealed class PythonLanguage() : CommentLanguage(
    "python",
    "Python",
    new LexicalRules("#", null, IndentationMatters: true, TripleQuotes: true),
    ["python", "py", "python3"],
    [".py"])
{
    /// <summary>The interpreter when the evaluator's commands name none.</summary>
    public const string DefaultInterpreter = "python3";

    public override ICodeCheck? Screen(ScreenServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new PythonSyntaxCheck(services.Runner, Interpreter(services.EvaluatorParameters));
    }

    /// <summary>
    /// The Python the evaluator starts: the command of its "program" (a built-in problem run as a command), "run"
    /// or "score" step, in that order, when that is a
    /// Python interpreter ("python3", "/usr/bin/python3.12", "pypy3"); otherwise <see cref="DefaultInterpreter"/>.
    /// </summary>
    public static string Interpreter(string evaluatorParameters)
    {
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(evaluatorParameters) ? "{}" : evaluatorParameters);
            foreach (var step in (string[])["program", "run", "score"])
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty(step, out var spec) && spec.ValueKind == JsonValueKind.Object
                    && spec.TryGetProperty("command", out var command) && command.ValueKind == JsonValueKind.String
                    && command.GetString() is { Length: > 0 } name
                    && Path.GetFileName(name) is var file
                    && (file.StartsWith("python", StringComparison.Ordinal) || file.StartsWith("pypy", StringComparison.Ordinal)))
                {
                    return name;
                }
            }
        }
        catch (JsonException)
        {
            // Parameters are validated when the problem is created; unreadable ones fall back to the default.
        }

        return DefaultInterpreter;
    }
}
