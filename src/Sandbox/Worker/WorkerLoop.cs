using System.Diagnostics;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Protocol;
using EvoCode.Sandbox.Worker.Compilation;
using EvoCode.Sandbox.Worker.Execution;

namespace EvoCode.Sandbox.Worker;

/// <summary>Start-up, warm-up and the request loop of a worker process.</summary>
internal static class WorkerLoop
{
    /// <summary>A source of up to 4 MiB, or a kept image of up to 1 MiB (base64 in the frame) with its source.</summary>
    private const int MaxRequestBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Candidates' load contexts can stay pinned (the harness's JSON metadata cache holds their types), so a
    /// worker whose heap or resident set has grown past these marks asks to be replaced.
    /// </summary>
    private const long RecycleHeapBytes = 192L * 1024 * 1024;
    private const long RecycleResidentBytes = 768L * 1024 * 1024;

    private const string WarmupSource = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Text;
        using EvoCode.Evaluators.Contract;

        public static class Candidate
        {
            public static double[] Run(int n, HarnessContext context)
            {
                var values = Enumerable.Range(0, n).Select(i => Math.Sqrt(i) + context.Random.NextDouble()).ToList();
                var text = new StringBuilder().Append(values.Count).ToString();
                context.Output.WriteLine($"warm {text}");
                return values.OrderBy(v => v).ToArray();
            }
        }
        """;

    public static async Task<int> RunAsync()
    {
        // The protocol owns the real stdin/stdout; anything else that writes to Console goes nowhere.
        await using var input = Console.OpenStandardInput();
        await using var output = Console.OpenStandardOutput();
        Console.SetOut(TextWriter.Null);
        Console.SetIn(TextReader.Null);

        CandidateExecution.Install();
        var references = ReferenceSet.Load();
        var compiler = new CandidateCompiler(references);
        WarmUp(compiler);
        await Frames.WriteAsync(output, new WorkerResponse(ResponseStages.Ready, string.Empty, ReferenceSet: references.Identity), ProtocolJsonContext.Default.WorkerResponse, CancellationToken.None);

        while (await Frames.ReadAsync(input, ProtocolJsonContext.Default.WorkerRequest, MaxRequestBytes, CancellationToken.None) is { } request)
        {
            var response = await HandleAsync(compiler, request, output);
            await Frames.WriteAsync(output, response, ProtocolJsonContext.Default.WorkerResponse, CancellationToken.None);
            if (response.Recycle)
            {
                // A run that did not end cleanly may have left threads or state behind: stop taking work.
                return 0;
            }
        }

        return 0;
    }

    private static void WarmUp(CandidateCompiler compiler)
    {
        // A few rounds JIT the compiler, the policy walks, the load context and the harness's JSON paths,
        // and push the hottest Roslyn methods towards tier-1 before the first real candidate arrives.
        for (var i = 0; i < 4; i++)
        {
            var compiled = compiler.Compile(WarmupSource, 64 * 1024, CancellationToken.None);
            var run = compiled.Image is null ? null : CandidateExecution.Run(compiled.Image, "invoke", """{"args":[8]}""", i, TimeSpan.FromSeconds(30), 0, 4096, 4);
            if (run?.Outcome != RunOutcome.Ok)
            {
                // A worker that cannot run the known-good program would fail every request: refuse to start.
                throw new InvalidOperationException($"Warm-up failed: {compiled.Outcome} {string.Join("; ", compiled.Diagnostics)} {run?.Error}");
            }
        }
    }

    private static async Task<WorkerResponse> HandleAsync(CandidateCompiler compiler, WorkerRequest request, Stream output)
    {
        var clock = Stopwatch.StartNew();
        if (request.Kind == RequestKinds.Run && Loaded(request) is { } loaded)
        {
            return await RunAsync(request, loaded, compiledHere: false, clock.Elapsed.TotalMilliseconds, output);
        }

        CompileResult compiled;
        var budget = new CpuBudget(TimeSpan.FromMilliseconds(Math.Max(1, request.CompileTimeoutMs)), request.WallClockBackstopFactor);
        var (timeout, watch) = budget.Watch();
        try
        {
            compiled = compiler.Compile(request.Source, request.MaxSourceBytes, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var why = budget.Describe("Compilation");
            return new WorkerResponse(
                ResponseStages.Done,
                request.Nonce,
                RunOutcome.CompileError,
                Diagnostics: [new SourceDiagnostic("CompileTimeLimit", why, 0, 0)],
                Error: why,
                CompileMs: clock.Elapsed.TotalMilliseconds,
                Recycle: true);
        }
        finally
        {
            await watch.DisposeAsync();
            timeout.Dispose();
        }

        var compileMs = clock.Elapsed.TotalMilliseconds;
        if (compiled.Outcome != RunOutcome.Ok || request.Kind == RequestKinds.Check)
        {
            var error = compiled.Outcome switch
            {
                RunOutcome.Ok => null,
                RunOutcome.PolicyViolation => "The source uses APIs the sandbox refuses.",
                _ => "The source does not compile.",
            };
            var image = request.Kind == RequestKinds.Check ? compiled.Image : null;
            return new WorkerResponse(ResponseStages.Done, request.Nonce, compiled.Outcome, Diagnostics: compiled.Diagnostics, Error: error, CompileMs: compileMs, Image: image, Compiled: true);
        }

        return await RunAsync(request, compiled, compiledHere: true, compileMs, output);
    }

    /// <summary>
    /// A kept image the pool sent instead of a compile: used only if it is the image the hash names and it passes the
    /// metadata policy again (it came from another jailed process); a refused image is the program's verdict, a
    /// mismatched one is ignored and the source compiled.
    /// </summary>
    private static CompileResult? Loaded(WorkerRequest request)
    {
        if (request.Image is not { Length: > 0 } image || request.ImageSha256 is not { } expected
            || !string.Equals(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(image)), expected, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var violations = Policy.MetadataPolicyCheck.Check(image);
        return violations.Count == 0 ? new CompileResult(RunOutcome.Ok, image, []) : CompileResult.Refused(RunOutcome.PolicyViolation, violations);
    }

    private static async Task<WorkerResponse> RunAsync(WorkerRequest request, CompileResult compiled, bool compiledHere, double compileMs, Stream output)
    {
        if (compiled.Outcome != RunOutcome.Ok)
        {
            return new WorkerResponse(ResponseStages.Done, request.Nonce, compiled.Outcome, Diagnostics: compiled.Diagnostics, Error: "The source uses APIs the sandbox refuses.", CompileMs: compileMs, Compiled: compiledHere);
        }

        await Frames.WriteAsync(output, new WorkerResponse(ResponseStages.Compiled, request.Nonce, CompileMs: compileMs), ProtocolJsonContext.Default.WorkerResponse, CancellationToken.None);

        ResetPeakMemory();
        var run = CandidateExecution.Run(
            compiled.Image!,
            request.Harness ?? string.Empty,
            request.ParametersJson ?? "{}",
            request.Seed,
            TimeSpan.FromMilliseconds(request.WallTimeMs),
            request.MemoryBytes,
            request.MaxOutputBytes,
            request.WallClockBackstopFactor);

        var peak = PeakMemory();
        var grown = peak > RecycleResidentBytes || (GC.GetTotalMemory(forceFullCollection: false) > RecycleHeapBytes && GC.GetTotalMemory(forceFullCollection: true) > RecycleHeapBytes);
        return new WorkerResponse(
            ResponseStages.Done,
            request.Nonce,
            run.Outcome,
            run.Output,
            TextCap.Cut(run.Log, request.MaxTextFieldBytes),
            [],
            TextCap.Cut(run.Error, request.MaxTextFieldBytes),
            compileMs,
            run.Elapsed.TotalMilliseconds,
            peak,
            Recycle: !run.Finished || run.Outcome is RunOutcome.MemoryLimit || grown,
            Image: compiledHere ? compiled.Image : null,
            Compiled: compiledHere);
    }

    /// <summary>Resets the kernel's peak-RSS mark (VmHWM) so the next reading covers this run only.</summary>
    private static void ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not permitted in every jail; the peak then covers the worker's lifetime.
        }
    }

    private static long? PeakMemory()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Reported as unknown.
        }

        return null;
    }
}
