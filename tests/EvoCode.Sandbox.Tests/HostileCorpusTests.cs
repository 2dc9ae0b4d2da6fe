using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class HostileCorpusTests(SandboxFixture fixture)
{
    [Theory]
    [MemberData(nameof(HostileCorpus.Data), MemberType = typeof(HostileCorpus))]
    public async Task RunAsync_HostileProgram_EndsWithItsExactOutcome(HostileProgram program)
    {
        var run = await fixture.Runner.RunAsync(Programs.Invoke(program.Source, limits: program.Limits), TestContext.Current.CancellationToken);

        Assert.True(run.Outcome == program.Expected, $"{program.Name}: expected {program.Expected}, got {run.Outcome}: {run.Error} {string.Join(" | ", run.Diagnostics)}");
        if (program.Rule is not null)
        {
            Assert.Contains(run.Diagnostics, d => d.Id == "policy/" + program.Rule);
        }

        Assert.Null(run.Output);
    }

    [Fact]
    public void Corpus_HasAtLeastThirtyPrograms_CoveringEveryRuntimeOutcome()
    {
        Assert.True(HostileCorpus.All.Count >= 30);
        foreach (var outcome in new[] { RunOutcome.PolicyViolation, RunOutcome.CompileError, RunOutcome.RuntimeError, RunOutcome.Crashed, RunOutcome.TimeLimit, RunOutcome.MemoryLimit, RunOutcome.OutputLimit })
        {
            Assert.Contains(HostileCorpus.All, p => p.Expected == outcome);
        }
    }

    [Fact]
    public async Task Pool_AfterWholeCorpus_StillEvaluatesGoodProgramAndServerIsUnaffected()
    {
        var ct = TestContext.Current.CancellationToken;
        var processId = Environment.ProcessId;
        var mismatches = new List<string>();

        // Two at a time, like the pool's two workers, so crashes and kills overlap with ordinary runs.
        await Parallel.ForEachAsync(HostileCorpus.All, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (program, token) =>
        {
            var run = await fixture.Runner.RunAsync(Programs.Invoke(program.Source, limits: program.Limits), token);
            if (run.Outcome != program.Expected)
            {
                lock (mismatches)
                {
                    mismatches.Add($"{program.Name}: {run.Outcome} ({run.Error})");
                }
            }
        });

        var good = await fixture.Runner.RunAsync(Programs.Invoke(Programs.Good, "[3]"), ct);

        Assert.Empty(mismatches);
        Assert.Equal(RunOutcome.Ok, good.Outcome);
        Assert.Equal("[1,4,9]", good.Output);
        Assert.Equal(processId, Environment.ProcessId);
        Assert.Equal(SandboxFixture.FakeKeyValue, Environment.GetEnvironmentVariable(SandboxFixture.FakeKeyName));
        Assert.False(File.Exists("/tmp/pwned"));
    }
}
