using System.Text.Json;
using System.Text.Json.Nodes;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Examples;

/// <summary>Loads problem folders (<c>problem.json</c> plus a seed program) and checks them, evaluator parameters included.</summary>
public static class ExampleLibrary
{
    /// <summary>The file every problem folder holds.</summary>
    public const string ProblemFile = "problem.json";

    /// <summary>The marker that opens an editable region of a seed.</summary>
    public const string BlockStart = "EVOLVE-BLOCK-START";

    /// <summary>The marker that closes an editable region of a seed.</summary>
    public const string BlockEnd = "EVOLVE-BLOCK-END";

    /// <summary>Loads every sub-folder of <paramref name="root"/> that has a problem.json, ordered by name.</summary>
    /// <exception cref="ProblemDefinitionException">A folder is malformed.</exception>
    public static IReadOnlyList<ProblemDefinition> LoadAll(string root) =>
    [
        .. Directory.EnumerateDirectories(root)
            .Where(d => File.Exists(Path.Combine(d, ProblemFile)))
            .Order(StringComparer.Ordinal)
            .Select(Load),
    ];

    /// <summary>Loads and checks one problem folder.</summary>
    /// <exception cref="ProblemDefinitionException">problem.json or the seed is missing or malformed, or the evaluator cannot be created.</exception>
    public static ProblemDefinition Load(string folder)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Fail(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        var file = Path.Combine(folder, ProblemFile);
        if (!File.Exists(file))
        {
            throw new ProblemDefinitionException($"No {ProblemFile} in '{folder}'.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? throw new ProblemDefinitionException($"{file} must hold a JSON object.");
        }
        catch (JsonException e)
        {
            throw new ProblemDefinitionException($"{file} is not valid JSON: {e.Message}", e);
        }

        string Text(string name, string? fallback = null)
        {
            if (root[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
            {
                return s;
            }

            if (fallback is null)
            {
                Fail(name, "Required string.");
            }

            return fallback ?? "";
        }

        var name = Text("name");
        var title = Text("title");
        var language = Text("language", "csharp");
        var task = Text("task");
        var seedFile = Text("seedFile", language == "csharp" ? "seed.cs" : null);
        var seed = "";
        if (seedFile.Length > 0)
        {
            var seedPath = Path.Combine(folder, seedFile);
            if (!File.Exists(seedPath))
            {
                Fail("seedFile", $"'{seedFile}' does not exist in the folder.");
            }
            else
            {
                seed = File.ReadAllText(seedPath);
                var start = seed.IndexOf(BlockStart, StringComparison.Ordinal);
                var end = seed.IndexOf(BlockEnd, StringComparison.Ordinal);
                if (start < 0 || end < start)
                {
                    Fail("seedFile", $"The seed needs a '{BlockStart}' marker followed by an '{BlockEnd}' marker.");
                }
            }
        }

        var evaluatorId = "";
        var parameters = new JsonObject();
        if (root["evaluator"] is not JsonObject evaluator)
        {
            Fail("evaluator", "Required object: {\"id\": ..., \"parameters\": {...}}.");
        }
        else
        {
            evaluatorId = evaluator["id"] is JsonValue id && id.TryGetValue<string>(out var idText) ? idText : "";
            if (evaluator["parameters"] is JsonObject given)
            {
                parameters = (JsonObject)given.DeepClone();
            }

            // Evaluator files live next to problem.json; inline them as the external command evaluator's "files".
            if (evaluator["files"] is JsonArray fileNames)
            {
                var files = parameters["files"] as JsonObject ?? [];
                foreach (var fileName in fileNames.Select(f => f?.GetValue<string>() ?? ""))
                {
                    var path = Path.Combine(folder, fileName);
                    if (fileName.Length == 0 || !File.Exists(path))
                    {
                        Fail("evaluator.files", $"'{fileName}' does not exist in the folder.");
                        continue;
                    }

                    files[fileName] = File.ReadAllText(path);
                }

                parameters["files"] = files;
            }
        }

        var parametersElement = JsonSerializer.SerializeToElement(parameters);
        if (evaluatorId.Length > 0 && !EvaluatorCatalog.Default.TryCreate(evaluatorId, parametersElement, out _, out var evaluatorErrors))
        {
            foreach (var (field, messages) in evaluatorErrors)
            {
                foreach (var message in messages)
                {
                    Fail(field == "evaluator" ? "evaluator.id" : $"evaluator.parameters.{field}", message);
                }
            }
        }
        else if (evaluatorId.Length == 0 && errors.Count == 0)
        {
            Fail("evaluator.id", "Required string.");
        }

        var run = new RunDefaults();
        if (root["run"] is JsonObject runNode)
        {
            try
            {
                run = runNode.Deserialize<RunDefaults>(new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow }) ?? run;
            }
            catch (JsonException e)
            {
                Fail("run", e.Message);
            }
        }

        PublishedResult? published = null;
        if (root["published"] is JsonObject p)
        {
            try
            {
                published = p.Deserialize<PublishedResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web));
            }
            catch (JsonException e)
            {
                Fail("published", e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new ProblemDefinitionException(folder, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }

        return new ProblemDefinition(name, title, language, task, seedFile, seed, evaluatorId, parametersElement, run, published);
    }
}
