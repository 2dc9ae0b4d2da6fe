using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

[Collection(SandboxCollection.Name)]
public sealed class SmokeTests(SandboxFixture fixture)
{
    [Fact]
    public async Task RunAsync_GoodProgram_ReturnsOutputAndLog()
    {
        var run = await fixture.Runner.RunAsync(Programs.Invoke(Programs.Good, "[4]"), TestContext.Current.CancellationToken);

        Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Error}");
        Assert.Equal("[1,4,9,16]", run.Output);
        Assert.Equal("squares up to 4\n", run.Log);
        Assert.Equal("full", fixture.Runner.IsolationLevel);
    }
}
