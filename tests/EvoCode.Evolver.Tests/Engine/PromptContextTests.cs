using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.FakeLlm;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>The prompts of a real run (run loop, store, fake model on loopback): history, inspirations, change notes, hidden metrics.</summary>
public sealed class PromptContextTests(StoreFixture stores)
{
    private const string Note = "lower_y: Move y toward -1.";

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_PromptsCarryTheHistoryAndInspirations_AndEveryChildItsChangeNote(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        // The first proposal names its change; the rest come from the fake's plausible edits, which name none.
        engine.Fake.Enqueue(FakeStep.Reply(
            $"<name>lower_y</name>\n<Description>Move y toward -1.</Description>\n<<<<<<< SEARCH\n        double y = 2.0;\n=======\n        double y = 0.5;\n>>>>>>> REPLACE\n", 900, 40));
        var done = await engine.RunAsync(
            new RunSettings
            {
                MaxEvaluations = 14,
                Islands = 2,
                MigrationInterval = 1000,
                Operators = new Dictionary<string, double> { ["diff"] = 0.7, ["rewrite"] = 0.3 },
                MetaSummaryInterval = 6,
            },
            ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(14, done.Evaluations);
        await using var db = engine.Harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == done.Id).OrderBy(c => c.Sequence).ToListAsync(ct);
        var children = programs.Where(c => c.Model == "fake").ToList();

        // The reply's name and description are the child's note; every other child has one derived from its diff.
        var named = Assert.Single(children, c => c.ChangeNote == Note);
        Assert.Equal(("diff", 3), (named.Operator, named.Sequence)); // after the seed and its copy on island 1
        Assert.All(children.Where(c => c.Id != named.Id), c => Assert.Matches(@"^(diff|rewrite): 1 line changed \(\+1 -1\), first: `double [xy] = -?[0-9.E+-]+;`$", c.ChangeNote));

        // The stored prompt is what the model was sent, whole.
        var requests = engine.Fake.Requests.Select(r => r.PromptText).ToList();
        Assert.All(children, c => Assert.Contains(c.Prompt, requests));

        // Later prompts show what was tried (the named change among it) and programs other than the parent.
        var mutations = requests.Where(p => p.Contains("# Current program", StringComparison.Ordinal)).ToList();
        Assert.Contains(mutations, p => p.Contains("# What was tried around this program", StringComparison.Ordinal) && p.Contains($"\"{Note}\"", StringComparison.Ordinal));
        Assert.Contains(mutations, p => p.Contains("# Other programs from the search, for ideas", StringComparison.Ordinal));
        Assert.Contains(mutations, p => p.Contains("# Where this program sits in the archive", StringComparison.Ordinal));

        // The meta-memory (after 6 and 12 evaluations) sees the changes, not only the scores.
        var metas = requests.Where(p => p.Contains("You keep the research notes", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, metas.Count);
        Assert.All(metas, m => Assert.Matches(@"\n- (diff|rewrite) by fake ""(diff|rewrite|lower_y): [^""]+"": (score|failed)", m));

        // The evaluator's hidden metric (secret = 42) is in no prompt.
        Assert.All(requests, p => Assert.DoesNotContain("secret", p, StringComparison.Ordinal));
        Assert.Equal(42, programs.First(c => c.Correct == true).Metrics["secret"]);
    }
}
