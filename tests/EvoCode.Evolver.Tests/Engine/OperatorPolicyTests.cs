using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using EvoCode.FakeLlm;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>The operator mix a run actually made, with the real run loop and a fake model on loopback.</summary>
public sealed class OperatorPolicyTests(StoreFixture stores)
{
    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_WithFailingChildrenAndFixWeightedHalf_FixesOnlyFailuresNotMadeByFixWithinTheShareCap(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        // The first 30 diff replies make failing children; the fake answers the rest, and every fix, with literal
        // nudges (a fix drawn while the bad diffs are still coming must not be handed one of them).
        var badDiffs = 0;
        engine.Fake.Responder = (request, sequence) =>
            !request.PromptText.Contains("# Program that failed", StringComparison.Ordinal) && Interlocked.Increment(ref badDiffs) <= 30
                ? FakeStep.Reply(FakeModelEngine.BadDiff(badDiffs), 400, 30)
                : PlausibleReply.For(request, sequence);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 80, Islands = 1, Operators = new Dictionary<string, double> { ["diff"] = 1, ["fix"] = 1 } }, ct);

        Assert.True(done.Status == RunStatus.Completed, done.StatusReason);
        await using var db = engine.Harness.Store.CreateDbContext();
        var programs = await db.Candidates.AsNoTracking().Where(c => c.RunId == done.Id)
            .Select(c => new { c.Id, c.Operator, c.ParentId, c.Correct }).ToListAsync(ct);
        var byId = programs.ToDictionary(p => p.Id);
        var fixes = programs.Where(p => p.Operator == "fix").ToList();
        Assert.NotEmpty(fixes);
        Assert.Contains(programs, p => p.Operator == "diff" && p.Correct == false);

        // A fix mends only a failed program, and never a program a fix made (depth limit 1).
        Assert.All(fixes, f => Assert.Equal((false, "diff"), (byId[f.ParentId!.Value].Correct, byId[f.ParentId!.Value].Operator)));

        // Fixes stay within 15 % of the proposals although the configured weights would give them half; the rest is diff.
        var mix = done.Statistics.Operators;
        var drawn = done.Proposals - 1; // the seed is the run's first proposal
        Assert.Equal(drawn, mix["diff"].Proposed + mix["fix"].Proposed);
        Assert.True(mix["fix"].Proposed <= 0.15 * drawn, $"{mix["fix"].Proposed} fixes of {drawn} proposals");
        Assert.Equal(fixes.Count, mix["fix"].Proposed - mix["fix"].Rejected);
    }

    [Theory]
    [MemberData(nameof(StoreFixture.Providers), MemberType = typeof(StoreFixture))]
    public async Task Run_DiffAndRewriteWeightedThreeToOne_DrawsTheConfiguredWeights(StoreProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, provider, ct);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 121, Islands = 1, Operators = new Dictionary<string, double> { ["diff"] = 3, ["rewrite"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        var mix = done.Statistics.Operators;
        var drawn = done.Proposals - 1; // the seed is the run's first proposal
        Assert.Equal(drawn, mix["diff"].Proposed + mix["rewrite"].Proposed);

        // 120+ draws at 3:1: rewrite's share is 0.25 (binomial standard deviation about 0.04).
        var rewriteShare = (double)mix["rewrite"].Proposed / drawn;
        Assert.InRange(rewriteShare, 0.12, 0.38);
    }

    [Fact]
    public async Task Run_EightProposalsInFlight_CountersMatchTheStoredCallsAndPrograms()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var engine = await FakeModelEngine.StartAsync(stores, StoreProvider.Postgres, ct);

        var done = await engine.RunAsync(new RunSettings { MaxEvaluations = 60, ProposalConcurrency = 8, EvaluationConcurrency = 4, Operators = new Dictionary<string, double> { ["diff"] = 1 } }, ct);

        Assert.Equal(RunStatus.Completed, done.Status);
        Assert.Equal(60, done.Evaluations);
        var calls = await engine.CallsAsync(done.Id, ct);
        Assert.Equal(calls.Count, done.Statistics.ModelCalls);
        Assert.Equal(calls.Sum(c => (long)(c.InputTokens ?? 0)), done.InputTokens);
        Assert.Equal(calls.Sum(c => (long)(c.OutputTokens ?? 0)), done.OutputTokens);
        Assert.Equal(calls.Sum(c => c.Cost ?? 0m), done.Cost);
        await using var db = engine.Harness.Store.CreateDbContext();
        // Proposals are the seed, the stored children and the rejected ones, each counted once.
        var proposed = await db.Candidates.CountAsync(c => c.RunId == done.Id && c.Operator == "diff", ct);
        Assert.Equal(done.Proposals, 1 + proposed + done.Rejections);
        Assert.Equal(done.Proposals - 1, done.Statistics.Operators["diff"].Proposed);
        Assert.Equal(done.Rejections, done.Statistics.Operators["diff"].Rejected);

        // Every call of a proposal points at the program it produced, or carries why its proposal was screened out.
        var children = await db.Candidates.Where(c => c.RunId == done.Id && c.Operator == "diff").Select(c => c.Id).ToListAsync(ct);
        Assert.All(calls, c => Assert.True(
            c.CandidateId is { } id ? id == c.ProposalId && children.Contains(id) && c.Rejection is null : c.Rejection is not null && c.ProposalId is not null,
            $"Call {c.Id} ({c.Outcome}, {c.EditOutcome}) points at nothing."));
        Assert.All(children, id => Assert.Contains(calls, c => c.CandidateId == id));
        Assert.Equal(done.Rejections, calls.Where(c => c.Rejection is not null).Select(c => c.ProposalId).Distinct().Count());
    }
}
