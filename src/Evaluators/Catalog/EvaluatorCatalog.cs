using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Custom;
using EvoCode.Evaluators.Problems.BinPacking;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Catalog;

/// <summary>
/// The evaluators a problem can name: the built-in problems and the two custom kinds (a C# script, an
/// external command). Lists them with their parameters, and creates one from an id and a JSON parameters
/// object, reporting every bad field.
/// </summary>
public sealed class EvaluatorCatalog
{
    /// <summary>Id of the C# script evaluator.</summary>
    public const string ScriptId = "csharp-script";

    /// <summary>Id of the external command evaluator.</summary>
    public const string CommandId = "external-command";

    private readonly Dictionary<string, (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build)> _entries;

    private EvaluatorCatalog()
    {
        _entries = new[]
        {
            CirclePacking(), MinMaxDistanceRatio(), HeilbronnTriangle(), HeilbronnConvex(), BinPacking(), Script(), Command(),
        }.ToDictionary(e => e.Info.Id, StringComparer.Ordinal);
        Evaluators = [.. _entries.Values.Select(e => e.Info)];
    }

    /// <summary>The catalogue.</summary>
    public static EvaluatorCatalog Default { get; } = new();

    /// <summary>Every evaluator, built-in ones first.</summary>
    public IReadOnlyList<EvaluatorInfo> Evaluators { get; }

    /// <summary>Finds an entry by id.</summary>
    public EvaluatorInfo? Find(string id) => _entries.TryGetValue(id, out var entry) ? entry.Info : null;

    /// <summary>Creates an evaluator, or returns every problem with the id and parameters by field.</summary>
    /// <param name="id">A catalogue id.</param>
    /// <param name="parameters">A JSON object of parameters; an undefined or null element means "all defaults".</param>
    /// <param name="evaluator">The evaluator, when creation succeeded.</param>
    /// <param name="errors">Messages by field path when it failed; "evaluator" for an unknown id.</param>
    public bool TryCreate(string id, JsonElement parameters, [NotNullWhen(true)] out IEvaluator? evaluator, out IReadOnlyDictionary<string, string[]> errors)
    {
        evaluator = null;
        if (id is null || !_entries.TryGetValue(id, out var entry))
        {
            errors = new Dictionary<string, string[]> { ["evaluator"] = [$"Unknown evaluator '{id}'. Known: {string.Join(", ", _entries.Keys)}."] };
            return false;
        }

        var reader = new SpecReader(parameters);
        var built = reader.HasErrors ? null : entry.Build(reader);
        reader.RejectUnknown();
        errors = reader.Errors;
        if (reader.HasErrors || built is null)
        {
            return false;
        }

        evaluator = built;
        return true;
    }

    /// <summary>Creates an evaluator.</summary>
    /// <exception cref="EvaluatorConfigurationException">The id is unknown or a parameter is bad.</exception>
    public IEvaluator Create(string id, JsonElement parameters = default) =>
        TryCreate(id, parameters, out var evaluator, out var errors) ? evaluator : throw new EvaluatorConfigurationException(errors);

    private static ParameterDefinition Tolerance() => new(
        "tolerance", "string", ToleranceModes.StrictName,
        "Validity checks: 'strict' compares exactly (tolerance 0, AlphaEvolve V2's forms); 'openevolve-1e-6' allows 1e-6 slack, only to compare with OpenEvolve.",
        AllowedValues: ToleranceModes.Names);

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) CirclePacking()
    {
        ParameterDefinition n = new("n", "integer", 26, "Number of circles.", 2, 200);
        ParameterDefinition program = new(
            "program",
            "object",
            null,
            "{candidateFile, command, arguments}: the candidate is a program in any language, run in the jail (such as {\"candidateFile\": \"candidate.py\", \"command\": \"python3\", \"arguments\": [\"candidate.py\"]}); its last output line {\"rows\": [[x, y, r], ...]} is scored by the same checks. Without it, C# CirclePacking.Pack is called.");
        var tolerance = Tolerance();
        var sample = BuiltInEvaluators.CirclePacking();
        return (new EvaluatorInfo(
            BuiltInEvaluators.CirclePackingId,
            "Circle packing in the unit square",
            "Place n disjoint circles inside the unit square to maximize the sum of their radii (AlphaEvolve B.12). The sum is always recomputed from the returned radii; NaN, wrong counts and negative radii are rejected; an SVG of the packing is attached.",
            "built-in",
            [n, tolerance, program],
            sample.Descriptor.Metrics,
            BuiltInEvaluators.CirclePackingEntryPoint,
            PublishedResults.CirclePacking),
            r =>
            {
                var count = r.Integer("n", 26, 2, 200);
                var mode = ToleranceModes.Parse(r.String("tolerance", ToleranceModes.StrictName, allowed: ToleranceModes.Names)!);
                if (r.Object("program") is not { } spec)
                {
                    return BuiltInEvaluators.CirclePacking(count, mode);
                }

                var candidateFile = spec.String("candidateFile", "candidate.py", maxLength: 200)!;
                CheckRelative(spec, "candidateFile", candidateFile);
                return BuiltInEvaluators.CirclePackingByCommand(count, mode, candidateFile, Step(spec)!);
            });
    }

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) MinMaxDistanceRatio()
    {
        var sample = BuiltInEvaluators.MinMaxDistanceRatio();
        return (new EvaluatorInfo(
            BuiltInEvaluators.MinMaxDistanceRatioId,
            "Min/max distance ratio",
            "Place n points in d dimensions to minimize (largest pairwise distance / smallest pairwise distance)² (AlphaEvolve B.8). The score is the inverse of that ratio, so higher is better; coinciding points are rejected.",
            "built-in",
            [new("n", "integer", 16, "Number of points.", 2, 200), new("d", "integer", 2, "Dimensions.", 1, 16)],
            sample.Descriptor.Metrics,
            BuiltInEvaluators.MinMaxEntryPoint,
            PublishedResults.MinMaxDistanceRatio),
            r => BuiltInEvaluators.MinMaxDistanceRatio(r.Integer("n", 16, 2, 200), r.Integer("d", 2, 1, 16)));
    }

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) HeilbronnTriangle()
    {
        var sample = BuiltInEvaluators.HeilbronnTriangle();
        return (new EvaluatorInfo(
            BuiltInEvaluators.HeilbronnTriangleId,
            "Heilbronn problem in a triangle",
            "Place n points in the triangle (0,0), (1,0), (1/2, √3/2) to maximize the smallest area of a triangle formed by three of them, divided by the triangle's area (AlphaEvolve B.9).",
            "built-in",
            [new("n", "integer", 11, "Number of points.", 3, 60), Tolerance()],
            sample.Descriptor.Metrics,
            BuiltInEvaluators.HeilbronnEntryPoint,
            PublishedResults.HeilbronnTriangle),
            r => BuiltInEvaluators.HeilbronnTriangle(r.Integer("n", 11, 3, 60), ToleranceModes.Parse(r.String("tolerance", ToleranceModes.StrictName, allowed: ToleranceModes.Names)!)));
    }

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) HeilbronnConvex()
    {
        var sample = BuiltInEvaluators.HeilbronnConvex();
        return (new EvaluatorInfo(
            BuiltInEvaluators.HeilbronnConvexId,
            "Heilbronn problem in a convex region",
            "Place n points anywhere to maximize the smallest triangle area divided by the area of their convex hull (AlphaEvolve B.10).",
            "built-in",
            [new("n", "integer", 13, "Number of points.", 3, 60)],
            sample.Descriptor.Metrics,
            BuiltInEvaluators.HeilbronnEntryPoint,
            PublishedResults.HeilbronnConvex),
            r => BuiltInEvaluators.HeilbronnConvex(r.Integer("n", 13, 3, 60)));
    }

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) BinPacking()
    {
        string[] choices = [BinPackingDatasets.Or3, BinPackingDatasets.Weibull5k, $"{BinPackingDatasets.Or3}+{BinPackingDatasets.Weibull5k}"];
        var sample = BuiltInEvaluators.BinPacking([BinPackingDatasets.Or3, BinPackingDatasets.Weibull5k]);
        return (new EvaluatorInfo(
            BuiltInEvaluators.BinPackingId,
            "Online bin packing (FunSearch)",
            "Evolve the priority function of FunSearch's online bin packing: each arriving item goes to the feasible bin with the highest priority. Measured as excess bins over the L1 bound on OR3 (20 × 500 items) and Weibull 5k (5 × 5000 items); with both, Weibull runs only when the OR3 excess is at most the threshold.",
            "built-in",
            [
                new("datasets", "string", choices[2], "Datasets in cascade order.", AllowedValues: choices),
                new("maxExcessToContinue", "number", 10.0, "Largest excess (percent) on a dataset that lets a candidate go on to the next one.", 0, 100),
            ],
            sample.Descriptor.Metrics,
            BuiltInEvaluators.BinPackingEntryPoint,
            PublishedResults.BinPacking),
            r =>
            {
                var datasets = r.String("datasets", choices[2], allowed: choices)!.Split('+');
                return BuiltInEvaluators.BinPacking(datasets, r.Number("maxExcessToContinue", 10, 0, 100));
            });
    }

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) Script() =>
        (new EvaluatorInfo(
            ScriptId,
            "C# script evaluator",
            "Your C# script scores the candidate's raw output. The candidate runs in the sandbox under the 'invoke' harness (a public static method whose return value is serialized); the script then runs as a second sandboxed program that receives that output and returns a Dictionary<string, double> of metrics, or throws to reject the candidate with its message. The script is either a class 'Evaluator' with 'public static Dictionary<string, double> Evaluate(T output)', or a script body using the global 'output' (of type outputType) that ends in 'return metrics;'.",
            "custom",
            [
                new("script", "string", null, "The evaluator script.", Required: true),
                new("outputType", "string", "double[][]", "Type of 'output' in a script body.", AllowedValues: ScriptSource.OutputTypes),
                new("entryType", "string", "Candidate", "The candidate's class."),
                new("entryMethod", "string", "Run", "The candidate's public static method."),
                new("entryArgs", "array", Array.Empty<object>(), "JSON arguments passed to the candidate's method."),
                new("primaryMetric", "string", "score", "The metric the score comes from."),
                new("goal", "string", "maximize", "Whether the primary metric is maximized or minimized.", AllowedValues: ["maximize", "minimize"]),
                new("metrics", "array", Array.Empty<object>(), "Metric definitions: {name, goal, min, max, shownToModel, digits, description}."),
                new("features", "array", Array.Empty<object>(), "Archive features among the metrics: {name, min, max, description, bins}."),
                new("timeoutSeconds", "number", 10.0, "Wall-time limit of each run.", 0.1, 600),
            ],
            [],
            "public static class Candidate { public static T Run(...); } // as configured by entryType/entryMethod/entryArgs",
            []),
            BuildScript);

    private static (EvaluatorInfo Info, Func<SpecReader, IEvaluator> Build) Command() =>
        (new EvaluatorInfo(
            CommandId,
            "External command evaluator",
            "Evaluate programs in any language with your own commands, run under the sandbox's jail and limits. With 'run', the candidate's source is written to candidateFile in a fresh folder and run; its standard output becomes output.txt in a second fresh folder with your files, where 'score' runs. Without 'run', 'score' finds the candidate's source next to your files. The last line 'score' prints must be {\"correct\": bool, \"score\": number, \"metrics\": {...}, \"features\": {...}, \"artifacts\": [{\"name\", \"mediaType\", \"content\", \"forModel\"}], \"error\": string|null}.",
            "custom",
            [
                new("candidateFile", "string", "candidate.py", "File name the candidate's source is written to."),
                new("files", "object", new Dictionary<string, string>(), "Your evaluator's files by relative path."),
                new("run", "object", null, "{command, arguments}: runs the candidate; optional."),
                new("score", "object", null, "{command, arguments}: prints the JSON result.", Required: true),
                new("metrics", "array", Array.Empty<object>(), "Metric definitions: {name, goal, min, max, shownToModel, digits, description}."),
                new("features", "array", Array.Empty<object>(), "Feature definitions: {name, min, max, description, bins}."),
                new("timeoutSeconds", "number", 30.0, "Wall-time limit of each step.", 0.1, 3600),
                new("memoryMegabytes", "integer", 1024, "Memory limit of each step.", 64, 16384),
            ],
            [],
            "a program in any language, in candidateFile",
            []),
            BuildCommand);

    private static ScriptEvaluator BuildScript(SpecReader r)
    {
        var script = r.String("script", "", required: true, maxLength: 200_000) ?? "";
        var outputType = r.String("outputType", "double[][]", allowed: ScriptSource.OutputTypes)!;
        var entryType = r.String("entryType", "Candidate", maxLength: 200)!;
        var entryMethod = r.String("entryMethod", "Run", maxLength: 200)!;
        var entryArgs = r.Raw("entryArgs", JsonValueKind.Array) ?? JsonSerializer.SerializeToElement(Array.Empty<object>());
        var primary = r.String("primaryMetric", "score", maxLength: 100)!;
        var goal = r.String("goal", "maximize", allowed: ["maximize", "minimize"]) == "minimize" ? MetricGoal.Minimize : MetricGoal.Maximize;
        var metrics = r.Metrics("metrics");
        var features = r.Features("features");
        var timeout = r.Number("timeoutSeconds", 10, 0.1, 600);
        var declared = metrics.Any(m => m.Name == primary) ? metrics : [new MetricDefinition(primary, goal), .. metrics];
        var descriptor = new EvaluatorDescriptor(ScriptId, primary, declared, $"public static class {entryType} {{ public static T {entryMethod}(...); }}", ["run", "script"])
        {
            Features = features,
            Cascade =
            [
                new StageDefinition("run", "Run the candidate's entry point in the sandbox and keep its return value as JSON."),
                new StageDefinition("script", "Run the evaluator script in the sandbox on that output; it returns metrics or throws to reject."),
            ],
        };
        var entryPoint = JsonSerializer.SerializeToElement(new { type = entryType, method = entryMethod, args = entryArgs });
        var limits = RunLimits.Default with { WallTime = TimeSpan.FromSeconds(timeout) };
        return new ScriptEvaluator(descriptor, entryPoint, ScriptSource.Wrap(script, outputType), new CustomMetrics(primary, goal, features), limits);
    }

    private static CommandEvaluator BuildCommand(SpecReader r)
    {
        var candidateFile = r.String("candidateFile", "candidate.py", maxLength: 200)!;
        CheckRelative(r, "candidateFile", candidateFile);
        var files = r.StringMap("files");
        foreach (var name in files.Keys)
        {
            CheckRelative(r, $"files.{name}", name);
        }

        var run = Step(r.Object("run"));
        var score = Step(r.Object("score", required: true));
        var metrics = r.Metrics("metrics");
        var features = r.Features("features");
        var timeout = r.Number("timeoutSeconds", 30, 0.1, 3600);
        var memory = r.Integer("memoryMegabytes", 1024, 64, 16384);
        var descriptor = new EvaluatorDescriptor(
            CommandId,
            "score",
            [new MetricDefinition("score", MetricGoal.Maximize, Description: "The score the evaluator command prints."), .. metrics.Where(m => m.Name != "score")],
            $"a program in {candidateFile}",
            run is null ? ["score"] : ["run", "score"])
        {
            Features = features,
            Cascade =
            [
                .. run is null ? Array.Empty<StageDefinition>() : [new StageDefinition("run", $"Run '{run.Command}' on {candidateFile} in a jailed folder; its standard output becomes {CommandEvaluator.OutputFile}.")],
                new StageDefinition("score", $"Run '{score?.Command}' in a jailed folder; its last output line is the JSON result."),
            ],
        };
        var limits = new RunLimits(TimeSpan.FromSeconds(timeout), memory * 1024L * 1024, 1024 * 1024);
        return new CommandEvaluator(descriptor, candidateFile, files, run, score ?? new CommandStep("", []), limits);
    }

    private static CommandStep? Step(SpecReader? r)
    {
        if (r is null)
        {
            return null;
        }

        var command = r.String("command", "", required: true, maxLength: 500) ?? "";
        var arguments = r.Strings("arguments");
        r.RejectUnknown();
        return new CommandStep(command, arguments);
    }

    private static void CheckRelative(SpecReader r, string field, string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path.Split('/', '\\').Any(part => part is ".." or "") || path == CommandEvaluator.OutputFile)
        {
            r.Error(field, $"'{path}' must be a relative path inside the working folder (no '..', not '{CommandEvaluator.OutputFile}').");
        }
    }
}
