using EvoCode.Evaluators.Contract;

namespace EvoCode.Sandbox.Tests;

/// <summary>Compiler denial of service: exponential overload resolution over nested lambdas.</summary>
public sealed class CompileLimitTests
{
    private static string ExponentialSource()
    {
        var expression = "0";
        for (var i = 0; i < 14; i++)
        {
            expression = $"M(a{i} => {expression})";
        }

        return $$"""
            using System;
            public static class Candidate
            {
                static int M(Func<int, int> f) => 0;
                static int M(Func<string, int> f) => 1;
                static int M(Func<double, int> f) => 2;
                public static int Run() => {{expression}};
            }
            """;
    }

    [Fact]
    public async Task RunAndCheck_CompilerBomb_EndAsCompileErrorAndPoolRecovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = SandboxFixture.FullIsolationOptions();
        options.Workers = 1;
        options.CompileTimeout = TimeSpan.FromMilliseconds(500);

        // Own user ids, so this pool's tasks never count against the shared fixture's RLIMIT_NPROC.
        options.SandboxUserIdBase = 74_000;
        await using var runner = await SandboxRunner.StartNewAsync(options, cancellationToken: ct);

        var run = await runner.RunAsync(Programs.Invoke(ExponentialSource()), ct);
        var check = await runner.CheckAsync(ExponentialSource(), ct);
        var good = await runner.RunAsync(Programs.Invoke(Programs.Good, "[2]"), ct);

        Assert.Equal(RunOutcome.CompileError, run.Outcome);
        Assert.Equal("CompileTimeLimit", Assert.Single(run.Diagnostics).Id);
        Assert.Equal(RunOutcome.CompileError, check.Outcome);
        Assert.Equal(RunOutcome.Ok, good.Outcome);
        Assert.Equal("[1,4]", good.Output);
    }
}
