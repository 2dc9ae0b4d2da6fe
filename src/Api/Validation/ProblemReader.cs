using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvoCode.Api.Contracts;
using EvoCode.Evaluators.Catalog;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Api.Validation;

/// <summary>Turns a problem request into a <see cref="Problem"/>, or field errors: every check a bad problem could fail later, done now.</summary>
internal sealed partial class ProblemReader(EvaluatorCatalog catalog, ICodeCheck codeCheck, ICandidateRunner runner, ILanguageModelOperatorFactory models)
{
    public async Task<Problem?> ReadAsync(CreateProblemRequest request, int maxSourceBytes, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || !NamePattern().IsMatch(request.Name))
        {
            errors.Add("name", "Required: 1-100 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(request.Description))
        {
            errors.Add("description", "Required: the task text given to the model.");
        }

        if (request.Title is { Length: > 200 })
        {
            errors.Add("title", "At most 200 characters.");
        }

        TextRules.RefuseNul(request, errors);
        IEvaluator? evaluator = null;
        var evaluatorId = request.Evaluator?.Id;
        JsonElement parameters = request.Evaluator?.Parameters is { ValueKind: JsonValueKind.Object } given ? given : JsonDocument.Parse("{}").RootElement;
        if (string.IsNullOrWhiteSpace(evaluatorId))
        {
            errors.Add("evaluator.id", $"Required: one of {string.Join(", ", catalog.Evaluators.Select(e => e.Id))}.");
        }
        else if (catalog.Find(evaluatorId) is null)
        {
            errors.Add("evaluator.id", $"Unknown evaluator '{evaluatorId}'; see GET /api/evaluators.");
        }
        else if (request.Evaluator?.Parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            errors.Add("evaluator.parameters", "Must be an object.");
        }
        else if (!catalog.TryCreate(evaluatorId, parameters, out evaluator, out var evaluatorErrors))
        {
            foreach (var (field, messages) in evaluatorErrors)
            {
                foreach (var message in messages)
                {
                    errors.Add(field == "evaluator" ? "evaluator.id" : $"evaluator.parameters.{field}", message);
                }
            }
        }

        // The language named, else the one the evaluator implies (the command evaluator's candidate file; C# for the rest).
        var language = request.Language is null
            ? ProgramLanguages.Infer(evaluatorId, parameters.GetRawText(), EvaluatorCatalog.CommandId)
            : ProgramLanguages.Find(request.Language);
        if (language is null)
        {
            errors.Add("language", request.Language is null
                ? $"Required: the evaluator's candidateFile names no known language; name one of {ProgramLanguages.Known}."
                : $"Unknown language '{request.Language}'; known: {ProgramLanguages.Known}.");
        }

        var seed = request.Seed;
        if (string.IsNullOrWhiteSpace(seed))
        {
            errors.Add("seed", "Required: the seed program with EVOLVE-BLOCK markers.");
        }
        else if (Encoding.UTF8.GetByteCount(seed) > maxSourceBytes)
        {
            errors.Add("seed", $"The seed is {Encoding.UTF8.GetByteCount(seed)} bytes; the limit is {maxSourceBytes} (Api:MaxSourceBytes).");
            seed = null;
        }
        else if (language is not null && !EvolveBlocks.TryParse(seed, language, out _, out var blockError))
        {
            errors.Add("seed", blockError!);
            seed = null;
        }

        var features = request.Features ?? [];
        if (features.Count > 0)
        {
            RunSettingsReader.ValidateDimensions(features, "features", errors);
            if (evaluator is not null)
            {
                RunSettingsReader.RefuseUnmeasured(features, evaluator.Descriptor.Features, "features", errors);
            }
        }

        var defaults = RunSettingsReader.Merge(new RunSettings(), request.Defaults, "defaults", errors);
        if (defaults is not null)
        {
            RunSettingsReader.Validate(defaults, "defaults", models.ModelNames, language, errors);
            if (evaluator is not null && defaults.FeatureDimensions is { Count: > 0 } own)
            {
                RunSettingsReader.RefuseUnmeasured(own, evaluator.Descriptor.Features, "defaults.featureDimensions", errors);
            }
        }

        // The language's screen (C#: compile and policy; Python: syntax) runs in the jail and costs a second: only for a request that is otherwise sound.
        if (!errors.Any && seed is not null && language!.Screen(new ScreenServices(codeCheck, runner, parameters.GetRawText())) is { } screen)
        {
            var diagnostics = await screen.CheckAsync(seed, cancellationToken);
            foreach (var diagnostic in diagnostics.Take(20))
            {
                errors.Add("seed", $"The seed does not pass the {language.DisplayName} check: {diagnostic}");
            }
        }

        if (errors.Any)
        {
            return null;
        }

        return new Problem
        {
            Id = Guid.NewGuid(),
            Name = request.Name!,
            Title = request.Title,
            Description = request.Description!,
            SeedSource = seed!,
            Language = language!.Id,
            EvaluatorId = evaluatorId!,
            EvaluatorParameters = parameters.GetRawText(),
            FeatureDimensions = [.. features],
            DefaultSettings = defaults!,
        };
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    private static partial Regex NamePattern();
}
