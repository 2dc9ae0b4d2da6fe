using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Custom;

/// <summary>
/// Parses what an external evaluator command prints. The last non-empty line of standard output must be one
/// JSON object with exactly these properties (only <c>correct</c> is required; <c>score</c> is required when
/// <c>correct</c> is true):
/// <code>
/// {"correct": true, "score": 1.0, "metrics": {"name": 1.0}, "features": {"name": 0.5},
///  "artifacts": [{"name": "log", "mediaType": "text/plain", "content": "...", "forModel": true}], "error": null}
/// </code>
/// <c>score</c> is higher-is-better. Numbers must be finite JSON numbers; unknown properties, wrong types
/// and non-finite values make the result incorrect with a message naming the property.
/// </summary>
public static class CommandResultParser
{
    private static readonly HashSet<string> s_known = ["correct", "score", "metrics", "features", "artifacts", "error"];

    /// <summary>Parses a command's standard output into a result; never throws.</summary>
    public static EvaluationResult Parse(string standardOutput)
    {
        var line = (standardOutput ?? "").Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
        if (line is null)
        {
            return Invalid("The evaluator command printed nothing; its last line must be a JSON result.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var hint = line.Contains("NaN", StringComparison.Ordinal) || line.Contains("Infinity", StringComparison.Ordinal)
                ? " NaN and Infinity are not JSON (and never a valid score)."
                : "";
            return Invalid($"The last line of the evaluator's output is not valid JSON ({e.Message}).{hint}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The evaluator's result must be a JSON object.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!s_known.Contains(property.Name))
                {
                    return Invalid($"The evaluator's result has an unknown property '{property.Name}'; allowed: {string.Join(", ", s_known)}.");
                }
            }

            if (!root.TryGetProperty("correct", out var correct) || correct.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return Invalid("The evaluator's result needs 'correct': true or false.");
            }

            string? error = null;
            if (root.TryGetProperty("error", out var errorElement) && errorElement.ValueKind != JsonValueKind.Null)
            {
                if (errorElement.ValueKind != JsonValueKind.String)
                {
                    return Invalid("'error' must be a string or null.");
                }

                error = errorElement.GetString();
            }

            if (!TryReadNumbers(root, "metrics", out var metrics, out var problem) || !TryReadNumbers(root, "features", out var features, out problem))
            {
                return Invalid(problem);
            }

            if (!TryReadArtifacts(root, out var artifacts, out problem))
            {
                return Invalid(problem);
            }

            if (!correct.GetBoolean())
            {
                var reason = error ?? "The evaluator marked the candidate incorrect.";
                return EvaluationResult.Incorrect(reason, artifacts: [.. artifacts, Artifact.Feedback("validation", reason)]) with { Metrics = metrics };
            }

            if (!root.TryGetProperty("score", out var scoreElement) || scoreElement.ValueKind != JsonValueKind.Number || !scoreElement.TryGetDouble(out var score))
            {
                return Invalid("'score' must be a number when 'correct' is true.");
            }

            return new EvaluationResult
            {
                Correct = true,
                Score = score,
                Metrics = metrics,
                Features = features,
                Artifacts = artifacts,
                Error = error,
            }.RequireFinite();
        }
    }

    private static bool TryReadNumbers(JsonElement root, string name, out Dictionary<string, double> values, out string problem)
    {
        values = new Dictionary<string, double>(StringComparer.Ordinal);
        problem = "";
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"'{name}' must be an object of numbers.";
            return false;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var value) || !double.IsFinite(value))
            {
                problem = $"'{name}.{property.Name}' must be a finite number, not {property.Value.GetRawText()}.";
                return false;
            }

            values[property.Name] = value;
        }

        return true;
    }

    private static bool TryReadArtifacts(JsonElement root, out List<Artifact> artifacts, out string problem)
    {
        artifacts = [];
        problem = "";
        if (!root.TryGetProperty("artifacts", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            problem = "'artifacts' must be an array.";
            return false;
        }

        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                problem = $"'artifacts[{i}]' needs a string 'name' and a string 'content'.";
                return false;
            }

            var mediaType = item.TryGetProperty("mediaType", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "text/plain";
            var forModel = !item.TryGetProperty("forModel", out var f) || f.ValueKind != JsonValueKind.False;
            artifacts.Add(new Artifact(name.GetString()!, mediaType, content.GetString()!, forModel));
            i++;
        }

        return true;
    }

    private static EvaluationResult Invalid(string message) =>
        EvaluationResult.Incorrect(message, artifacts: [Artifact.Feedback("validation", message)]);
}
