using System.Text.Json;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Examples;

/// <summary>A ready-to-submit problem, as read from an <c>examples/&lt;name&gt;/</c> folder (see examples/README.md).</summary>
/// <param name="Name">Stable name (the folder name).</param>
/// <param name="Title">A short title.</param>
/// <param name="Language">"csharp" for sandboxed C# candidates, or the language an external command runs (such as "python").</param>
/// <param name="Task">The task description given to the model.</param>
/// <param name="SeedFile">The seed program's file name.</param>
/// <param name="Seed">The seed program, with <c>EVOLVE-BLOCK-START</c> / <c>EVOLVE-BLOCK-END</c> markers.</param>
/// <param name="EvaluatorId">The evaluator's catalogue id.</param>
/// <param name="EvaluatorParameters">Its parameters as a JSON object (evaluator files already inlined).</param>
/// <param name="Run">Default run settings.</param>
/// <param name="Published">The best published value, with its source, when there is one.</param>
public sealed record ProblemDefinition(
    string Name,
    string Title,
    string Language,
    string Task,
    string SeedFile,
    string Seed,
    string EvaluatorId,
    JsonElement EvaluatorParameters,
    RunDefaults Run,
    PublishedResult? Published);
