using System.Globalization;
using System.Text.RegularExpressions;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.FakeLlm;

namespace EvoCode.Llm.Tests;

/// <summary>
/// The language-model pieces driven the way the engine's run loop will drive them, against the fake server,
/// on a toy circle-packing program (the real evaluator and loop belong to the engine).
/// </summary>
public sealed partial class FakeRunTests
{
    private const string Seed = """
        public static class CirclePacking
        {
            // EVOLVE-BLOCK-START
            public static (double X, double Y, double R)[] Pack(int n)
            {
                var circles = new (double X, double Y, double R)[n];
                var columns = 6;
                var spacing = 0.15;
                var radius = 0.05;
                for (var i = 0; i < n; i++)
                {
                    circles[i] = (0.08 + (spacing * (i % columns)), 0.08 + (spacing * (i / columns)), radius);
                }

                return circles;
            }
            // EVOLVE-BLOCK-END
        }

        """;

    [Fact]
    public async Task Run_FakeModelsWithEveryFault_CompletesAndAccountsExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        var log = new RecordingCallLog();
        var openai = TestModels.Model(fake, ModelProvider.OpenAI, name: "gpt");
        var ollama = TestModels.Model(fake, ModelProvider.Ollama, streaming: true, name: "local");
        openai.Timeout = ollama.Timeout = TimeSpan.FromSeconds(3);
        using var catalog = TestModels.Catalog(log, 3, openai, ollama);
        var settings = new LanguageModelRunSettings
        {
            Ensemble = new EnsembleSettings { Policy = EnsembleSettings.BanditPolicy, Models = new Dictionary<string, double> { ["gpt"] = 1, ["local"] = 1 }, CostAwareness = 0.3 },
            Prompts = new PromptSettings { TargetValue = 2.635 },
        };
        var run = new LanguageModelOperatorFactory(catalog).CreateRun(settings, TestModels.RunId, "Pack 26 circles in the unit square; maximise the sum of radii.");
        fake.Enqueue(
            FakeStep.RateLimited(1),
            FakeStep.ServerError(),
            FakeStep.Truncated("<<<<<<< SEARCH\n        var radius", 700, 4096),
            FakeStep.MalformedJson(),
            FakeStep.Reply(TestModels.Diff("        var radius = 0.5;", "        var radius = 0.06;"), 800, 30),
            FakeStep.Slow(TimeSpan.FromSeconds(10)));

        var random = new Random(2024);
        var seed = Evaluate(new ParentProgram(Guid.NewGuid(), Seed, null, new Dictionary<string, double>()));
        var population = new List<ParentProgram> { seed };
        var failures = new List<ParentProgram>();
        var proposals = new List<Proposal>();
        var recent = new List<MetaMemoryEntry>();
        string? summary = null;
        for (var generation = 1; generation <= 14; generation++)
        {
            var parent = generation % 4 == 0 && failures.Count > 0 ? failures[0] : population[random.Next(population.Count)];
            var second = population.Count > 1 ? population[random.Next(population.Count)] : null;
            // The engine's operator policy picks in production; here a failed parent gets a fix, the rest the mix's main operators.
            var chosen = parent.Score is null ? run[FixOperator.OperatorName] : run[second is not null && random.NextDouble() < 0.2 ? CrossoverOperator.OperatorName : DiffOperator.OperatorName];
            var request = new MutationRequest
            {
                TaskDescription = "Pack 26 circles in the unit square; maximise the sum of radii.",
                Parent = parent,
                SecondParent = chosen.NeedsSecondParent ? second : null,
                Inspirations = [.. population.OrderByDescending(p => p.Score).Take(2)],
                Failures = [.. failures.Take(3).Select(f => new FailureGroup(f.Error ?? "failed without an error text", 1, f.Id == parent.Id ? 1 : 0, []))],
                MetaSummary = summary,
                Random = random,
                RunId = TestModels.RunId,
                Generation = generation,
            };

            var proposal = await chosen.ProposeAsync(request, ct);
            proposals.Add(proposal);
            var improvement = 0.0;
            if (proposal.Succeeded)
            {
                var child = Evaluate(new ParentProgram(Guid.NewGuid(), proposal.Source!, null, new Dictionary<string, double>()));
                if (child.Score is { } score)
                {
                    population.Add(child);
                    improvement = Math.Max(0, score - (parent.Score ?? 0));
                }
                else
                {
                    failures.Insert(0, child);
                }

                recent.Insert(0, new MetaMemoryEntry(proposal.Operator, proposal.Model, child.Score, parent.Score, child.Error));
            }
            else
            {
                failures.Insert(0, parent with { Id = Guid.NewGuid(), Error = proposal.Error, Score = null });
                recent.Insert(0, new MetaMemoryEntry(proposal.Operator, proposal.Model, null, parent.Score, proposal.Error));
            }

            run.Ensemble.Reward(proposal.Model!, improvement, proposal.Cost);
            if (generation % 5 == 0)
            {
                summary = await run.MetaMemory.SummarizeAsync(summary, recent.Take(8).ToList(), ct) ?? summary;
            }
        }

        Assert.All(proposals, p => Assert.True(p.Succeeded ^ (p.Error is not null)));
        Assert.True(proposals.Count(p => p.Succeeded) >= 6, string.Join("\n", proposals.Select(p => p.Error)));
        Assert.Contains(proposals, p => p.Operator == FixOperator.OperatorName);
        Assert.NotNull(summary);
        var outcomes = log.Records.Select(r => r.Outcome).ToHashSet();
        Assert.Superset(new HashSet<string> { ModelCallOutcome.Http(429), ModelCallOutcome.Http(500), ModelCallOutcome.Truncated, ModelCallOutcome.Malformed, ModelCallOutcome.Timeout, ModelCallOutcome.Ok }, outcomes);

        // Exact accounting: what the server reported equals what was recorded, call by call and in total.
        var answered = fake.Answers.Where(a => a.Status is null && !a.Malformed && a.Delay == TimeSpan.Zero).ToList();
        var recorded = log.Records.Where(r => r.Outcome is ModelCallOutcome.Ok or ModelCallOutcome.Truncated).ToList();
        Assert.Equal(answered.Count, recorded.Count);
        Assert.Equal(answered.Sum(a => a.InputTokens!.Value), recorded.Sum(r => r.InputTokens!.Value));
        Assert.Equal(answered.Sum(a => a.OutputTokens!.Value), recorded.Sum(r => r.OutputTokens!.Value));
        var expectedCost = answered.Sum(a => (a.InputTokens!.Value * 2m / 1_000_000m) + (a.OutputTokens!.Value * 8m / 1_000_000m));
        // A timeout or an unreadable 200 may have been billed for its prompt: booked as an estimate, never as nothing.
        var estimated = log.Records.Where(r => r.UsageEstimated).ToList();
        Assert.Equal(log.Records.Where(r => r.Outcome is ModelCallOutcome.Malformed or ModelCallOutcome.Timeout).ToList(), estimated);
        Assert.All(estimated, r => Assert.True(r.InputTokens > 0));
        Assert.Equal(expectedCost, log.Records.Where(r => !r.UsageEstimated).Sum(r => r.Cost ?? 0m));
        expectedCost += estimated.Sum(r => r.Cost!.Value);
        var meta = log.Records.Where(r => r.Operator == "meta").ToList();
        Assert.Equal(log.Records.Sum(r => r.InputTokens ?? 0) - meta.Sum(r => r.InputTokens ?? 0), proposals.Sum(p => p.InputTokens!.Value));
        Assert.Equal(expectedCost - meta.Sum(r => r.Cost ?? 0m), proposals.Sum(p => p.Cost!.Value));
        Assert.All(fake.Requests, r => Assert.DoesNotContain("2.635", r.PromptText, StringComparison.Ordinal));

        var resumed = new ModelEnsemble(settings.Ensemble, run.Ensemble.SaveState());
        Assert.Equal(14, resumed.Arms.Values.Sum(a => a.Pulls));
        Assert.True(population.Max(p => p.Score) >= seed.Score);
    }

    /// <summary>A toy stand-in for the circle-packing evaluator: reads the layout constants and scores n · radius when circles fit.</summary>
    private static ParentProgram Evaluate(ParentProgram program)
    {
        double Read(string name) => double.Parse(Constant().Matches(program.Source).First(m => m.Groups["name"].Value == name).Groups["value"].Value, CultureInfo.InvariantCulture);
        var (columns, spacing, radius) = (Read("columns"), Read("spacing"), Read("radius"));
        var rows = Math.Ceiling(26 / Math.Max(columns, 1));
        var fits = columns >= 1 && radius > 0 && 2 * radius <= spacing && radius <= 0.08 && 0.08 + (spacing * (columns - 1)) + radius <= 1 && 0.08 + (spacing * (rows - 1)) + radius <= 1;
        return fits
            ? program with { Score = 26 * radius, Error = null }
            : program with { Score = null, Error = $"circles overlap or leave the square (columns {columns}, spacing {spacing}, radius {radius}); target 2.635", Feedback = "sum of radii must approach 2.635" };
    }

    [GeneratedRegex(@"var (?<name>columns|spacing|radius) = (?<value>[\d.]+);")]
    private static partial Regex Constant();
}
