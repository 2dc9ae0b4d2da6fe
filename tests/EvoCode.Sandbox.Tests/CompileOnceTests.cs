extern alias worker;

using System.Security.Cryptography;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Pool;
using EvoCode.Sandbox.Protocol;
using worker::EvoCode.Sandbox.Worker.Compilation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Sandbox.Tests;

/// <summary>
/// A program is compiled once: the check's verdict and image are kept and the runs of the same source load the
/// image; a kept image is loaded only after its hash and the metadata policy are checked again; checks have a
/// lane of their own. Each test uses sources no other test compiles, so the runner's compile count moves by
/// exactly what the test does (tests in the collection run one at a time).
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class CompileOnceTests(SandboxFixture fixture)
{
    private static string Unique(string tag) => Programs.Body($"return \"{tag}-\" + {Guid.NewGuid().GetHashCode()};");

    [Fact]
    public async Task CheckThenThreeRuns_CompileOnceAndRunsLoadTheKeptImage()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = fixture.Runner;
        var source = Programs.Body("return 42;") + $"\n// {Guid.NewGuid()}";
        var before = runner.Compiles;

        var check = await runner.CheckAsync(source, ct);
        var runs = new List<CandidateRun>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await runner.RunAsync(Programs.Invoke(source, "[]", seed: i), ct));
        }

        Assert.Equal(RunOutcome.Ok, check.Outcome);
        Assert.Equal(1, check.Compiles);
        Assert.False(check.CompileCacheHit);
        Assert.All(runs, r => Assert.True(r.Outcome == RunOutcome.Ok, $"{r.Outcome}: {r.Error}"));
        Assert.All(runs, r => Assert.Equal("42", r.Output));
        Assert.All(runs, r => Assert.Equal(0, r.Compiles));
        Assert.All(runs, r => Assert.True(r.CompileCacheHit));
        Assert.Equal(before + 1, runner.Compiles);
    }

    [Fact]
    public async Task RunsWithoutACheck_TheFirstCompilesAndTheSecondLoads()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = fixture.Runner;
        var source = Unique("direct");
        var before = runner.Compiles;

        var first = await runner.RunAsync(Programs.Invoke(source), ct);
        var second = await runner.RunAsync(Programs.Invoke(source), ct);
        var check = await runner.CheckAsync(source, ct);

        Assert.Equal(RunOutcome.Ok, first.Outcome);
        Assert.Equal((1, false), (first.Compiles, first.CompileCacheHit));
        Assert.Equal(RunOutcome.Ok, second.Outcome);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal((0, true), (second.Compiles, second.CompileCacheHit));
        Assert.Equal((RunOutcome.Ok, 0, true), (check.Outcome, check.Compiles, check.CompileCacheHit));
        Assert.Equal(before + 1, runner.Compiles);
    }

    [Fact]
    public async Task RefusedSource_TheRunGetsTheCheckVerdictWithoutAWorker()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = fixture.Runner;
        var source = Programs.Body("return System.IO.File.ReadAllText(\"/etc/hostname\");") + $"\n// {Guid.NewGuid()}";
        var before = runner.Compiles;

        var check = await runner.CheckAsync(source, ct);
        var run = await runner.RunAsync(Programs.Invoke(source), ct);

        Assert.Equal(RunOutcome.PolicyViolation, check.Outcome);
        Assert.Equal(1, check.Compiles);
        Assert.Equal(RunOutcome.PolicyViolation, run.Outcome);
        Assert.Equal((0, true), (run.Compiles, run.CompileCacheHit));
        Assert.Equal(check.Diagnostics, run.Diagnostics);
        Assert.Equal("The source uses APIs the sandbox refuses.", run.Error);
        Assert.Equal(before + 1, runner.Compiles);
    }

    [Fact]
    public async Task GivenImage_ThatBreaksTheMetadataPolicy_IsRefusedEvenWithTheRightHash()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = EmitWithoutPolicy(Programs.Body("return System.IO.File.ReadAllText(\"/etc/hostname\");"));

        var answer = await ExchangeWithImageAsync(Programs.Good, image, Convert.ToHexString(SHA256.HashData(image)), ct);

        Assert.Equal(RunOutcome.PolicyViolation, answer.Outcome);
        Assert.False(answer.Compiled);
        Assert.Contains(answer.Diagnostics!, d => d.Id == "policy/FileSystem");
    }

    [Fact]
    public async Task GivenImage_WhoseHashDoesNotMatch_IsIgnoredAndTheSourceCompiled()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = EmitWithoutPolicy(Programs.Body("return System.IO.File.ReadAllText(\"/etc/hostname\");"));

        var answer = await ExchangeWithImageAsync(Programs.Good, image, new string('0', 64), ct);

        Assert.Equal(RunOutcome.Ok, answer.Outcome);
        Assert.True(answer.Compiled);
        Assert.Equal("[1,4]", answer.Output);
    }

    [Fact]
    public async Task EveryEvaluationWorkerBusy_ACheckStillAnswersOnTheCompileLane()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = fixture.Runner;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = 0;
        var allHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        runner.Pool.StepHook = async (step, worker) =>
        {
            if (step == ExchangeStep.Compiled && runner.Pool.LaneOf(worker.Slot) == WorkerLane.Evaluation)
            {
                if (Interlocked.Increment(ref holding) == runner.Workers)
                {
                    allHeld.TrySetResult();
                }

                await release.Task;
            }
        };
        try
        {
            var runs = Enumerable.Range(0, runner.Workers).Select(n => runner.RunAsync(Programs.Invoke(Unique("held" + n)), ct)).ToList();
            await allHeld.Task.WaitAsync(TimeSpan.FromSeconds(120), ct);

            var check = runner.CheckAsync(Unique("lane"), ct);
            var first = await Task.WhenAny(check, Task.Delay(TimeSpan.FromSeconds(120), ct));
            var runsDoneBeforeCheck = runs.Count(r => r.IsCompleted);
            release.TrySetResult();
            var results = await Task.WhenAll(runs);

            Assert.Same(check, first);
            Assert.Equal(RunOutcome.Ok, (await check).Outcome);
            Assert.Equal(0, runsDoneBeforeCheck);
            Assert.All(results, r => Assert.Equal(RunOutcome.Ok, r.Outcome));
        }
        finally
        {
            release.TrySetResult();
            runner.Pool.StepHook = null;
        }
    }

    [Fact]
    public void ReadyWorkers_ReportTheirReferenceSet()
    {
        var identity = fixture.Runner.Pool.ReferenceSet;

        Assert.NotNull(identity);
        Assert.Equal(64, identity.Length);
        Assert.All(fixture.Runner.Pool.LiveProcesses(), w => Assert.Equal(identity, w.ReferenceSet));
    }

    /// <summary>Emits an assembly with Roslyn alone: what a subverted compile worker could hand over.</summary>
    private static byte[] EmitWithoutPolicy(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Hostile",
            [CSharpSyntaxTree.ParseText(source)],
            ReferenceSet.Load().References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        Assert.True(emit.Success, string.Join("; ", emit.Diagnostics));
        return image.ToArray();
    }

    private async Task<WorkerResponse> ExchangeWithImageAsync(string source, byte[] image, string sha256, CancellationToken ct)
    {
        var pool = fixture.Runner.Pool;
        var worker = await pool.RentAsync(WorkerLane.Evaluation, ct);
        var keep = false;
        try
        {
            var request = new WorkerRequest(RequestKinds.Run, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), source, "invoke",
                """{"type":"Candidate","method":"Run","args":[2]}""", 0, 2000, 256L * 1024 * 1024, 64 * 1024, 5000, 64 * 1024, Image: image, ImageSha256: sha256);
            var exchange = await worker.ExchangeAsync(request, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), null, ct);
            Assert.Equal(ExchangeEnd.Answered, exchange.End);
            keep = exchange.Response is { Recycle: false };
            return exchange.Response!;
        }
        finally
        {
            pool.Return(worker, keep, "test exchange");
        }
    }
}
