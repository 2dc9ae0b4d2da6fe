using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;

namespace EvoCode.Evolver.Tests.Persistence;

/// <summary>Rows the storage tests build on.</summary>
internal static class StoreSeed
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static async Task<(Problem Problem, Run Run)> ProblemAndRunAsync(EvoCodeDbContext db, CancellationToken cancellationToken)
    {
        var problem = new Problem
        {
            Id = Guid.NewGuid(),
            Name = $"p-{Guid.NewGuid():N}",
            Description = "Pack circles.",
            SeedSource = "// EVOLVE-BLOCK-START\n// EVOLVE-BLOCK-END\n",
            EvaluatorId = "circle-packing",
            EvaluatorParameters = """{"n": 26}""",
            FeatureDimensions = [new FeatureDimension("code_length", 0, 4000, 10)],
            CreatedAt = Now,
        };
        var run = new Run { Id = Guid.NewGuid(), ProblemId = problem.Id, Status = RunStatus.Running, CreatedAt = Now };
        db.AddRange(problem, run);
        await db.SaveChangesAsync(cancellationToken);
        return (problem, run);
    }

    public static Candidate Candidate(Guid runId, long sequence, double? score = null, params Guid[] parents) => new()
    {
        Id = Guid.NewGuid(),
        RunId = runId,
        Sequence = sequence,
        Operator = parents.Length switch { 0 => "seed", 1 => "diff", _ => "crossover" },
        Source = $"// program {sequence}",
        CodeHash = new string('a', 63) + (sequence % 10),
        State = score is null ? CandidateState.Pending : CandidateState.Evaluated,
        Correct = score is not null,
        Score = score,
        ParentId = parents.Length > 0 ? parents[0] : null,
        Parents = [.. parents.Select((p, i) => new CandidateParent { ParentId = p, Position = i })],
        CreatedAt = Now.AddSeconds(sequence),
    };
}
