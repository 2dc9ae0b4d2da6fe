using System.Text.Json;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Languages;

/// <summary>The languages problems may name, and how a problem's language is found when it names none.</summary>
public static class ProgramLanguages
{
    private static readonly (string Open, string Close) s_slashStar = ("/*", "*/");

    public static IProgramLanguage CSharp { get; } = new CSharpLanguage();

    public static IProgramLanguage Python { get; } = new PythonLanguage();

    /// <summary>Every known language; those after C# and Python are screened by their markers only.</summary>
    public static IReadOnlyList<IProgramLanguage> All { get; } =
    [
        CSharp,
        Python,
        Braces("javascript", "JavaScript", ["javascript", "js", "mjs"], [".js", ".mjs"], "\"'`"),
        Braces("typescript", "TypeScript", ["typescript", "ts"], [".ts"], "\"'`"),
        Braces("java", "Java", ["java"], [".java"]),
        Braces("c", "C", ["c", "h"], [".c", ".h"]),
        Braces("cpp", "C++", ["cpp", "c++", "cc", "cxx", "hpp"], [".cpp", ".cc", ".cxx", ".hpp"]),
        Braces("go", "Go", ["go", "golang"], [".go"], "\"'`"),
        Braces("rust", "Rust", ["rust", "rs"], [".rs"], "\""),
        Layout("julia", "Julia", "#", ["julia", "jl"], [".jl"]),
        Layout("r", "R", "#", ["r"], [".r", ".R"]),
        Layout("ruby", "Ruby", "#", ["ruby", "rb"], [".rb"]),
        Layout("shell", "Shell", "#", ["bash", "sh", "shell", "zsh"], [".sh"]),
        Layout("lua", "Lua", "--", ["lua"], [".lua"]),
        Layout("haskell", "Haskell", "--", ["haskell", "hs"], [".hs"]),
    ];

    /// <summary>The ids, for error messages.</summary>
    public static string Known => string.Join(", ", All.Select(l => l.Id));

    /// <summary>The language with that id (case-insensitive), or <c>null</c>.</summary>
    public static IProgramLanguage? Find(string? id) =>
        id is null ? null : All.FirstOrDefault(l => string.Equals(l.Id, id.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The problem's language; a stored problem always names a known one, so anything else is a broken row.</summary>
    public static IProgramLanguage Of(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Find(problem.Language) ?? throw new InvalidOperationException($"The problem names the unknown language '{problem.Language}'; known: {Known}.");
    }

    /// <summary>The language of a file, by its extension, or <c>null</c>.</summary>
    public static IProgramLanguage? ForFile(string? fileName)
    {
        var extension = Path.GetExtension(fileName ?? "");
        return extension.Length == 0 ? null : All.FirstOrDefault(l => l.FileExtensions.Contains(extension, StringComparer.Ordinal))
            ?? All.FirstOrDefault(l => l.FileExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The language a problem that names none is written in: the candidate file of a built-in problem run as a
    /// command ("program") or of the external-command evaluator tells (candidate.py is Python, the command
    /// evaluator's default); every other evaluator runs C# in the sandbox.
    /// <c>null</c> when the candidate file's extension names no known language.
    /// </summary>
    public static IProgramLanguage? Infer(string? evaluatorId, string? evaluatorParameters, string commandEvaluatorId)
    {
        const string DefaultFile = "candidate.py";
        string? candidateFile = null;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(evaluatorParameters) ? "{}" : evaluatorParameters);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("program", out var program) && program.ValueKind == JsonValueKind.Object)
            {
                candidateFile = Text(program, "candidateFile") ?? DefaultFile;
            }
            else if (root.ValueKind == JsonValueKind.Object && evaluatorId == commandEvaluatorId)
            {
                candidateFile = Text(root, "candidateFile");
            }
        }
        catch (JsonException)
        {
            // The evaluator's own validation reports unreadable parameters.
        }

        candidateFile ??= evaluatorId == commandEvaluatorId ? DefaultFile : null;
        return candidateFile is null ? CSharp : ForFile(candidateFile);
    }

    private static string? Text(JsonElement holder, string name) =>
        holder.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static CommentLanguage Braces(string id, string name, IReadOnlyList<string> fences, IReadOnlyList<string> extensions, string quotes = "\"'") =>
        new(id, name, new LexicalRules("//", s_slashStar, IndentationMatters: false, TripleQuotes: false, quotes), fences, extensions);

    private static CommentLanguage Layout(string id, string name, string comment, IReadOnlyList<string> fences, IReadOnlyList<string> extensions) =>
        new(id, name, new LexicalRules(comment, null, IndentationMatters: true, TripleQuotes: id == "julia"), fences, extensions);
}
