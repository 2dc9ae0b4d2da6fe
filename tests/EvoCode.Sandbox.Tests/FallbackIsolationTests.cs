using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Configuration;

namespace EvoCode.Sandbox.Tests;

/// <summary>The path taken where bubblewrap is missing, forced with <see cref="SandboxIsolationMode.Fallback"/>.</summary>
public sealed class FallbackIsolationTests
{
    [Fact]
    public async Task Fallback_WithoutBubblewrap_RunsCandidatesWithReducedIsolationAndWarns()
    {
        var ct = TestContext.Current.CancellationToken;
        Environment.SetEnvironmentVariable(SandboxFixture.FakeKeyName, SandboxFixture.FakeKeyValue);
        await using var runner = await SandboxRunner.StartNewAsync(new SandboxOptions { Workers = 1, Isolation = SandboxIsolationMode.Fallback, SandboxUserIdBase = 70_000 }, cancellationToken: ct);

        var good = await runner.RunAsync(Programs.Invoke(Programs.Good, "[2]"), ct);
        var loop = await runner.RunAsync(Programs.Invoke(Programs.Body("while (true) { }"), limits: Programs.ShortLimits with { WallTime = TimeSpan.FromSeconds(1) }), ct);
        var probe = await runner.RunCommandAsync(
            new CommandInvocation("/bin/sh", ["-c", "id -u; env; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"], new Dictionary<string, string>(), Programs.ShortLimits), ct);

        Assert.Equal("reduced", runner.IsolationLevel);
        Assert.NotEmpty(runner.Warnings);
        Assert.Equal(RunOutcome.Ok, good.Outcome);
        Assert.Equal("[1,4]", good.Output);
        Assert.Equal(RunOutcome.TimeLimit, loop.Outcome);
        Assert.Equal(RunOutcome.Ok, probe.Outcome);
        Assert.DoesNotContain(SandboxFixture.FakeKeyValue, probe.StandardOutput, StringComparison.Ordinal);
        var lines = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEqual("0", lines[0]);
        Assert.Equal("lo", lines[^1]);
    }

    [Fact]
    public async Task StartAsync_FullIsolationRequiredButBubblewrapBroken_FailsWithClearMessage()
    {
        var options = new SandboxOptions { RequireFullIsolation = true, BubblewrapPath = "/bin/false" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SandboxRunner.StartNewAsync(options, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("bubblewrap", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", error.Message, StringComparison.Ordinal);
    }
}
