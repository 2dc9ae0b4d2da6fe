using System.Text;
using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>Texts a candidate shapes are capped, and its objects run under the run's limits after the run.</summary>
[Collection(SandboxCollection.Name)]
public sealed class CandidateTextTests(SandboxFixture fixture)
{
    private const int Cap = 64 * 1024;

    private static readonly RunLimits RoomyOutput = Programs.ShortLimits with { MaxOutputBytes = 4 * 1024 * 1024 };

    [Fact]
    public async Task HugeExceptionMessage_ErrorIsCutToTheTextCapWithAMarker()
    {
        var run = await fixture.Runner.RunAsync(Programs.Invoke(Programs.Body("""throw new InvalidOperationException(new string('x', 3_000_000));""")), TestContext.Current.CancellationToken);

        Assert.Equal(RunOutcome.RuntimeError, run.Outcome);
        Assert.StartsWith("InvalidOperationException: xxxx", run.Error, StringComparison.Ordinal);
        Assert.Equal(Cap, Encoding.UTF8.GetByteCount(run.Error!));
        Assert.EndsWith("bytes, the limit is 65536 ...]", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogUnderTheOutputCapButOverTheTextCap_RunIsOkAndTheLogIsCutWithAMarker()
    {
        var run = await fixture.Runner.RunAsync(
            Programs.Invoke(Programs.Body("""context.Output.Write(new string('é', 500_000)); return 1;"""), limits: RoomyOutput),
            TestContext.Current.CancellationToken);

        Assert.True(run.Outcome == RunOutcome.Ok, $"{run.Outcome}: {run.Error}");
        Assert.Equal("1", run.Output);
        Assert.StartsWith("ééé", run.Log, StringComparison.Ordinal);
        Assert.True(Encoding.UTF8.GetByteCount(run.Log!) is > Cap - 2 and <= Cap, $"{Encoding.UTF8.GetByteCount(run.Log!)} bytes");
        Assert.EndsWith("[... cut by the sandbox: 1000000 bytes, the limit is 65536 ...]", run.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExceptionWhoseMessageThrows_IsARuntimeErrorSayingSo()
    {
        var source = Programs.Body("throw new Nasty();", "public sealed class Nasty : Exception { public override string Message => throw new InvalidOperationException(\"no\"); }");

        var run = await fixture.Runner.RunAsync(Programs.Invoke(source), TestContext.Current.CancellationToken);
        var next = await fixture.Runner.RunAsync(Programs.Invoke(Programs.Good, "[1]"), TestContext.Current.CancellationToken);

        Assert.True(run.Outcome == RunOutcome.RuntimeError, $"{run.Outcome}: {run.Error}");
        Assert.Equal("Nasty (reading its message threw InvalidOperationException)", run.Error);
        Assert.Equal(RunOutcome.Ok, next.Outcome);
    }

    [Fact]
    public async Task ExceptionWhoseMessageNeverReturns_EndsAsTimeLimitUnderTheRunsLimit()
    {
        var source = Programs.Body(
            "throw new Endless();",
            "public sealed class Endless : Exception { public override string Message { get { long i = 0; while (i >= 0) { i = (i + 1) % 1000; } return \"never\"; } } }");

        var run = await fixture.Runner.RunAsync(Programs.Invoke(source, limits: Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(1) }), TestContext.Current.CancellationToken);

        Assert.True(run.Outcome == RunOutcome.TimeLimit, $"{run.Outcome}: {run.Error}");
        Assert.Equal("The run exceeded its time limit of 1 s of CPU time.", run.Error);
    }
}
