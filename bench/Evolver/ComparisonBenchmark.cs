using System.Globalization;
using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Persistence;
using EvoCode.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvoCode.Bench.Evolver;

/// <summary>
/// Issue 22's table: at equal evaluations, the engine's default search against hill climbing (one island, always the
/// best parent), uniform selection, one island, and random restarts (independent hill climbs sharing the budget,
/// best of them), on the real engine, sandbox and store, offline (built-in operators). Each run's best after each
/// mark is read from its programs in evaluation order (copies made by migration or restarts are not evaluations).
/// </summary>
internal static class ComparisonBenchmark
{
    private const int Restarts = 5;

    private static readonly Dictionary<string, Func<RunSettings, RunSettings>> s_configs = new()
    {
        ["default"] = s => s,
        ["hill-climb"] = s => HillClimb(s),
        ["uniform"] = s => s with { ParentSelection = "uniform" },
        ["one-island"] = s => s with { Islands = 1 },
    };

    public static async Task RunAsync(IReadOnlyList<string> problems, IReadOnlyList<int> marks, int seeds, int concurrency, IReadOnlyList<string> configs)
    {
        var folder = Directory.CreateTempSubdirectory("evocode-compare-");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = folder.FullName,
            ["Sandbox:Workers"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Engine:PollInterval"] = "00:00:00.200",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEvoCodeSandbox(builder.Configuration);
        builder.Services.AddSingleton<ICodeCheck, SandboxCodeCheck>();
        builder.Services.AddEvoCodeEvolver(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<SandboxRunner>().WaitUntilWarmAsync(CancellationToken.None);
        var contexts = host.Services.GetRequiredService<IDbContextFactory<EvoCodeDbContext>>();
        var evaluations = marks.Max();
        Console.WriteLine($"# compare: marks {string.Join('/', marks)}, {seeds} seeds, concurrency {concurrency}, started {TimeProvider.System.GetUtcNow():u}");
        var stored = new List<Problem>();
        foreach (var name in problems)
        {
            var problem = ExampleProblems.ToProblem(ExampleLibrary.Load(Path.Combine(RunBenchmark.FindRoot(), "examples", name)), DateTimeOffset.UnixEpoch);
            stored.Add(problem);
            await using (var db = await contexts.CreateDbContextAsync())
            {
                db.Problems.Add(problem);
                await db.SaveChangesAsync();
            }

        }

        // Seeds outermost, so a bench cut short still has every problem and configuration at the seeds it finished.
        var results = new Dictionary<(string Problem, string Config), List<IReadOnlyList<double>>>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            foreach (var problem in stored)
            {
                var name = problem.Name;
                foreach (var config in configs)
                {
                    var settings = new RunSettings { MaxEvaluations = evaluations, Seed = seed, ProposalConcurrency = concurrency, EvaluationConcurrency = concurrency };
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    IReadOnlyList<double> best;
                    if (config == "restarts")
                    {
                        // Each mark gets its own restarts: Restarts hill climbs of mark / Restarts evaluations each.
                        var perMark = new List<double>();
                        foreach (var mark in marks)
                        {
                            var top = double.NegativeInfinity;
                            for (var r = 0; r < Restarts; r++)
                            {
                                var run = await RunOnceAsync(host, contexts, problem, HillClimb(settings) with { MaxEvaluations = mark / Restarts, Seed = (seed * 100) + r }, [mark / Restarts]);
                                top = Math.Max(top, run[0]);
                            }

                            perMark.Add(top);
                        }

                        best = perMark;
                    }
                    else
                    {
                        best = await RunOnceAsync(host, contexts, problem, Configure(config, settings), marks);
                    }

                    (results.TryGetValue((name, config), out var list) ? list : results[(name, config)] = []).Add(best);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {name} {config} seed {seed}: {string.Join(' ', best.Select(b => b.ToString("F6", CultureInfo.InvariantCulture)))} ({watch.Elapsed.TotalSeconds:F0} s)"));
                }
            }
        }

        Console.WriteLine("| problem | evaluations | search | mean ± sd | min–max | seeds |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var ((name, config), runs) in results)
        {
            for (var m = 0; m < marks.Count; m++)
            {
                var values = runs.Select(r => r[m]).ToList();
                var mean = values.Average();
                var sd = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {marks[m]} | {config} | {mean:F4} ± {sd:F4} | {values.Min():F4}–{values.Max():F4} | {values.Count} |"));
            }
        }

        await host.StopAsync();
        folder.Delete(recursive: true);
    }

    /// <summary>A named configuration, or a JSON object of settings laid over the engine's defaults (for tuning).</summary>
    private static RunSettings Configure(string config, RunSettings settings)
    {
        if (s_configs.TryGetValue(config, out var named))
        {
            return named(settings);
        }

        var merged = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(settings, System.Text.Json.JsonSerializerOptions.Web))!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(config)!.AsObject())
        {
            merged[key] = value?.DeepClone();
        }

        return System.Text.Json.JsonSerializer.Deserialize<RunSettings>(merged, System.Text.Json.JsonSerializerOptions.Web)!;
    }

    /// <summary>Hill climbing: one island, always the best parent, no population, no restarts, no neutral moves.</summary>
    private static RunSettings HillClimb(RunSettings s) =>
        s with { ParentSelection = "hill-climb", Islands = 1, PopulationShare = 0, IslandStagnation = null, NeutralAge = null };

    private static async Task<IReadOnlyList<double>> RunOnceAsync(IHost host, IDbContextFactory<EvoCodeDbContext> contexts, Problem problem, RunSettings settings, IReadOnlyList<int> marks)
    {
        var run = await host.Services.GetRequiredService<RunControl>().StartAsync(problem.Id, settings, "compare", CancellationToken.None);
        Run current;
        while (true)
        {
            await Task.Delay(300);
            await using var db = await contexts.CreateDbContextAsync();
            current = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == run.Id);
            if (current.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                break;
            }
        }

        await using var read = await contexts.CreateDbContextAsync();
        var scores = await read.Candidates.AsNoTracking()
            .Where(c => c.RunId == run.Id && c.State == CandidateState.Evaluated && c.Operator != "migration" && c.Operator != "restart" && (c.Operator != "seed" || c.Sequence == 1))
            .OrderBy(c => c.Sequence)
            .Select(c => c.Correct == true ? c.Score : null)
            .ToListAsync();
        if (current.Status != RunStatus.Completed)
        {
            Console.WriteLine($"  run {run.Id} ended {current.Status}: {current.StatusReason}");
        }

        var stats = current.Statistics;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {settings.ParentSelection}/{settings.Islands} islands: {scores.Count} evaluations, cells {stats.FilledCells}/{stats.ReachableCells}, restarts {stats.IslandRestarts}, incorrect {scores.Count(s => s is null)}, ops {string.Join(", ", stats.Operators.Select(o => $"{o.Key} {o.Value.ImprovedOnParent}/{o.Value.Evaluated}"))}"));
        if (settings.Objectives is { Count: > 0 } objectives)
        {
            // Several objectives (issue 19.1): the run's front, its size and its extreme points on each objective.
            var front = await RunFront.ReadAsync(read, current, CancellationToken.None);
            string Show(FrontProgram p) => string.Join(", ", objectives.Select((o, i) => string.Create(CultureInfo.InvariantCulture, $"{o.Metric} {p.Values[i]:G6}")));
            Console.WriteLine($"  front: {front.Programs.Count} programs over {front.Programs.Select(p => (p.Island, p.CellKey)).Distinct().Count()} cells");
            for (var i = 0; i < objectives.Count; i++)
            {
                var index = i;
                var extreme = objectives[i].Goal == Objective.Maximize ? front.Programs.MaxBy(p => p.Values[index]) : front.Programs.MinBy(p => p.Values[index]);
                Console.WriteLine($"  best {objectives[i].Metric} on the front: #{extreme?.Sequence} ({(extreme is null ? "none" : Show(extreme))})");
            }
        }

        return [.. marks.Select(m => scores.Take(m).Where(s => s is not null).Select(s => s!.Value).DefaultIfEmpty(double.NaN).Max())];
    }
}
