using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;

namespace EvoCode.Dashboard.Tests.Seeded;

/// <summary>
/// A run written straight into a SQLite store, shaped like a long search: four islands with seed copies, a
/// binary tree of programs, migrants, incorrect programs, two models with their calls, archive elites and
/// stored events. Every figure the dashboard should show is computed here, so tests assert exact values.
/// </summary>
public sealed class SeededRun
{
    public const int Islands = 4;
    public const int Elites = 40;
    public const int Events = 1000;
    public const string Needle = "needle";

    private SeededRun(int programs)
    {
        Programs = programs;
        Ids = [.. Enumerable.Range(0, programs).Select(_ => Guid.NewGuid())];
    }

    public Guid RunId { get; } = Guid.NewGuid();

    public string Name => $"seeded {Programs}";

    public int Programs { get; }

    public Guid[] Ids { get; }

    public static int Parent(int i) => i == 0 ? -1 : i < Islands ? 0 : (i - 1) / 2;

    /// <summary>Seed copies on the other islands, as the engine makes them.</summary>
    public static bool IsSeedCopy(int i) => i is > 0 and < Islands;

    public static bool IsMigrant(int i) => i >= Islands && i % 50 == 25;

    public static bool IsIncorrect(int i) => i >= Islands && !IsMigrant(i) && i % 7 == 3;

    public static bool HasNeedle(int i) => i >= Islands && i % 10 == 0;

    public static string Source(int i) => $"// program {i}\npublic static class P{i} {{ public static int Run() => {i}; }}{(HasNeedle(i) ? $"\n// {Needle}" : "")}\n";

    /// <summary>Evaluations as the run counts them: neither seed copies nor migrants.</summary>
    public int RealEvaluations => Enumerable.Range(0, Programs).Count(i => !IsSeedCopy(i) && !IsMigrant(i));

    public int IncorrectEvaluations => Enumerable.Range(0, Programs).Count(IsIncorrect);

    public int NeedleCount => Enumerable.Range(0, Programs).Count(HasNeedle);

    /// <summary>The best program: the correct real program with the highest score (scores rise with the index).</summary>
    public int Best => Enumerable.Range(0, Programs).Last(i => !IsIncorrect(i) && !IsSeedCopy(i) && !IsMigrant(i));

    /// <summary>The archive's elites: the highest-scoring correct real programs.</summary>
    public IReadOnlyList<int> EliteIndexes => [.. Enumerable.Range(0, Programs).Where(i => !IsIncorrect(i) && !IsSeedCopy(i) && !IsMigrant(i)).TakeLast(Elites)];

    /// <summary>What the collapsed lineage shows: the ancestry of the elites and of the best.</summary>
    public int CollapsedNodes
    {
        get
        {
            var shown = new HashSet<int>();
            foreach (var e in EliteIndexes.Append(Best))
            {
                for (var j = e; j >= 0 && shown.Add(j); j = Parent(j))
                {
                }
            }

            return shown.Count;
        }
    }

    /// <summary>
    /// The turns of the best program's conversation, with text that must survive the store and reach the page as
    /// text: NUL, an astral character, U+FFFF, markup and a lone surrogate (stored as U+FFFD).
    /// </summary>
    public static IReadOnlyList<(string Prompt, string? Reply, string Outcome, string? EditOutcome)> Conversation { get; } =
    [
        ("system: improve the packing\nuser: <b>the program</b> \U0001F600", "<<<<<<< SEARCH\nnot there\0\n=======\n<script>window.__injected = 1</script>\n>>>>>>> REPLACE", "ok", "edit-failed: block 1 not found"),
        ("The edit did not apply: block 1 not found \uFFFF", null, "timeout", null),
        ("The edit did not apply: block 1 not found \uFFFF", "fixed \U0001F4A1 \ud800 end", "ok", "applied"),
    ];

    public DateTimeOffset Start { get; } = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    public static async Task<SeededRun> WriteAsync(TestStore store, int programs, RunStatus status, CancellationToken ct)
    {
        var seeded = new SeededRun(programs);
        await seeded.WriteAsync(store, status, ct);
        return seeded;
    }

    private async Task WriteAsync(TestStore store, RunStatus status, CancellationToken ct)
    {
        var problem = new Problem
        {
            Id = Guid.NewGuid(), Name = $"seeded-{Programs}", Title = "Seeded packing",
            Description = "Pack 26 circles in the unit square; maximise the sum of their radii.",
            SeedSource = Source(0), EvaluatorId = "circle-packing",
        };
        var run = new Run
        {
            Id = RunId, ProblemId = problem.Id, Name = Name, Status = status, CreatedAt = Start, StartedAt = Start,
            Settings = new RunSettings { MaxEvaluations = Programs, Islands = Islands, ParentSelection = "weighted", EnsemblePolicy = "bandit" },
            Evaluations = RealEvaluations, Proposals = RealEvaluations, BestCandidateId = Ids[Best], BestScore = Best,
            NextSequence = Programs + 1,
            EnsembleState = """{"policy":"bandit","maxImprovement":1,"arms":{"model-a":{"pulls":30,"rewardSum":6,"costSum":0.03,"costedPulls":30},"model-b":{"pulls":10,"rewardSum":1,"costSum":0.02,"costedPulls":10}}}""",
        };
        await using (var db = store.CreateDbContext())
        {
            db.Problems.Add(problem);
            db.Runs.Add(run);
            await db.SaveChangesAsync(ct);
        }

        var best = Best;
        // The series the engine appends with each evaluation it counts: real programs, in the order evaluated.
        var evaluation = 0L;
        var counted = Enumerable.Range(0, Programs).Select(i => IsSeedCopy(i) || IsMigrant(i) ? 0 : ++evaluation).ToArray();
        foreach (var chunk in Enumerable.Range(0, Programs).Chunk(20_000))
        {
            await using var db = store.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var programs = chunk.Select(i => (Index: i, Program: Candidate(i))).ToList();
            db.Candidates.AddRange(programs.Select(p => p.Program));
            db.RunSeries.AddRange(programs.Where(p => counted[p.Index] > 0).Select(p => RunSeriesEntry.Of(p.Program, counted[p.Index])));
            db.ModelCalls.AddRange(chunk.Where(i => i >= Islands && !IsMigrant(i) && i != best).Select(i => new ModelCall
            {
                RunId = RunId, CandidateId = Ids[i], Model = i % 2 == 0 ? "model-a" : "model-b", Provider = "fake",
                Operator = "diff", InputTokens = 100, OutputTokens = 50, Cost = 0.001m, Outcome = "ok", StartedAt = Start.AddSeconds(i - 0.5),
            }));
            if (chunk.Contains(best))
            {
                // The best program's conversation: a refused reply, the feedback turn and the reply that worked (same totals as one call).
                db.ModelCalls.AddRange(Conversation.Select((turn, k) => new ModelCall
                {
                    RunId = RunId, CandidateId = Ids[best], ProposalId = Ids[best], Attempt = k == 2 ? 2 : 1, Model = best % 2 == 0 ? "model-a" : "model-b", Provider = "fake",
                    Operator = "diff", InputTokens = k == 0 ? 40 : 30, OutputTokens = k == 0 ? 20 : 15, Cost = k == 0 ? 0.0004m : 0.0003m,
                    Outcome = turn.Outcome, EditOutcome = turn.EditOutcome, Prompt = turn.Prompt, Reply = turn.Reply, UsageEstimated = k == 2,
                    StartedAt = Start.AddSeconds(best - 0.5 + (k * 0.1)),
                }));
            }
            await db.SaveChangesAsync(ct);
        }

        await using (var db = store.CreateDbContext())
        {
            var elites = EliteIndexes;
            db.ArchiveCells.AddRange(elites.Select((e, k) => new ArchiveCell
            {
                RunId = RunId, Island = e % Islands, CellKey = $"{k % 10}-{k / 10}", EliteId = Ids[e], Score = e, UpdatedAt = Start.AddSeconds(e),
            }));
            db.RunEvents.AddRange(Enumerable.Range(0, Events).Select(k => new RunEvent
            {
                RunId = RunId, Kind = RunEventKinds.Evaluated, Data = $$"""{"sequence":{{k + 1}}}""", CreatedAt = Start.AddSeconds(k),
            }));
            await db.SaveChangesAsync(ct);
        }
    }

    private Candidate Candidate(int i)
    {
        var incorrect = IsIncorrect(i);
        var copy = IsSeedCopy(i) || IsMigrant(i);
        var depth = 0;
        for (var j = i; Parent(j) >= 0; j = Parent(j))
        {
            depth++;
        }

        return new Candidate
        {
            Id = Ids[i], RunId = RunId, Sequence = i + 1, Island = i < Islands ? i : i % Islands, Generation = depth,
            ParentId = Parent(i) < 0 ? null : Ids[Parent(i)],
            Operator = i < Islands ? "seed" : IsMigrant(i) ? "migration" : i % 3 == 0 ? "rewrite" : "diff",
            Model = i < Islands || copy ? null : i % 2 == 0 ? "model-a" : "model-b",
            Source = Source(i), CodeHash = new string('0', 64), State = CandidateState.Evaluated,
            Outcome = incorrect && i % 2 == 0 ? "CompileError" : "Ok", Correct = !incorrect, Score = incorrect ? null : IsSeedCopy(i) ? 0 : i,
            Metrics = incorrect ? [] : new Dictionary<string, double> { ["sum_radii"] = i / 10.0 },
            Reply = i % 10 == 5 ? "note: tweak the radii" : null,
            CreatedAt = Start.AddSeconds(i), EvaluatedAt = Start.AddSeconds(i),
        };
    }
}
