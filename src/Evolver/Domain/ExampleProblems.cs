using EvoCode.Evaluators.Examples;

namespace EvoCode.Evolver.Domain;

/// <summary>Turns a ready-made problem folder from <c>examples/</c> into a stored problem.</summary>
public static class ExampleProblems
{
    public static Problem ToProblem(ProblemDefinition example, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(example);
        return new Problem
        {
            Id = Guid.NewGuid(),
            Name = example.Name,
            Title = example.Title,
            Description = example.Task,
            SeedSource = example.Seed,
            Language = example.Language,
            EvaluatorId = example.EvaluatorId,
            EvaluatorParameters = example.EvaluatorParameters.GetRawText(),
            DefaultSettings = new RunSettings
            {
                MaxEvaluations = example.Run.MaxEvaluations,
                Islands = example.Run.Islands,
                TargetScore = example.Run.TargetScore,
                MaxWallTimeSeconds = example.Run.MaxWallTimeMinutes * 60.0,
            },
            CreatedAt = createdAt,
        };
    }
}
