using EvoCode.Evaluators.Examples;
using Microsoft.Extensions.Options;

namespace EvoCode.Api.Examples;

/// <summary>The example problems, loaded once on first use (each load checks the evaluator parameters).</summary>
internal sealed class ExampleShelf(IOptions<ExampleOptions> options, IHostEnvironment environment, ILogger<ExampleShelf> logger)
{
    private readonly Lazy<IReadOnlyList<ProblemDefinition>> _examples =
        new(() => Load(Path.GetFullPath(options.Value.Path, environment.ContentRootPath), logger));

    public IReadOnlyList<ProblemDefinition> All => _examples.Value;

    public ProblemDefinition? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    private static IReadOnlyList<ProblemDefinition> Load(string path, ILogger logger)
    {
        if (!Directory.Exists(path))
        {
            ExampleLog.NoExamples(logger, path);
            return [];
        }

        return ExampleLibrary.LoadAll(path);
    }
}

internal static partial class ExampleLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No examples folder at {Path}; set Examples:Path")]
    public static partial void NoExamples(ILogger logger, string path);
}
