using System.Runtime.Loader;
using System.Text;
using System.Text.Json;
using EvoCode.Evaluators.Contract;
using EvoCode.Evaluators.Harnesses;

namespace EvoCode.Sandbox.Worker.Execution;

/// <summary>
/// Runs one compiled candidate under its harness on a dedicated thread, inside a collectible load context,
/// with the managed heap capped for the duration. Whatever this cannot stop (a loop that never returns,
/// a stack overflow) ends the process, and the pool maps that to a verdict.
/// </summary>
internal static class CandidateExecution
{
    private const int CandidateStackBytes = 16 * 1024 * 1024;

    private static volatile bool s_running;
    private static volatile bool s_outOfMemory;

    /// <summary>The worker-wide limit the pool sets at start (DOTNET_GCHeapHardLimit, hex), restored after each run.</summary>
    private static readonly long s_baselineHeapLimit =
        long.TryParse(Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit"), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : 0;

    /// <summary>Hooks first-chance exceptions once, so a swallowed OutOfMemoryException still counts.</summary>
    public static void Install() =>
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (s_running && e.Exception is OutOfMemoryException)
            {
                s_outOfMemory = true;
            }
        };

    public sealed record Result(RunOutcome Outcome, string? Output, string Log, string? Error, bool Finished, TimeSpan Elapsed);

    /// <summary>
    /// Runs the candidate; <paramref name="timeLimit"/> is CPU time of the worker, with a wall-clock backstop of
    /// <paramref name="backstopFactor"/> times it. Whatever the candidate's objects do afterwards (an exception's
    /// Message, ToString, StackTrace) is read on the candidate's thread, under the same limits.
    /// </summary>
    public static Result Run(byte[] image, string harnessName, string parametersJson, int seed, TimeSpan timeLimit, long memoryBytes, int maxOutputBytes, double backstopFactor)
    {
        if (!HarnessCatalog.TryGet(harnessName, out var harness))
        {
            return new Result(RunOutcome.RuntimeError, null, string.Empty, $"Unknown harness '{harnessName}'.", true, TimeSpan.Zero);
        }

        using var parametersDocument = JsonDocument.Parse(string.IsNullOrWhiteSpace(parametersJson) ? "{}" : parametersJson);
        var parameters = parametersDocument.RootElement.Clone();
        var log = new CappedTextWriter(maxOutputBytes);
        var context = new HarnessContext(new Random(seed), log);
        var loadContext = new AssemblyLoadContext("candidate", isCollectible: true);
        string? output = null;
        Exception? failure = null;
        string? failureText = null;

        var thread = new Thread(
            () =>
            {
                try
                {
                    var assembly = loadContext.LoadFromStream(new MemoryStream(image, writable: false));
                    output = harness.Run(assembly, parameters, context);
                }
#pragma warning disable CA1031 // Every candidate failure becomes a verdict; nothing may escape the worker's thread.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failure = e;
                    failureText = SafeDescribe(e);
                }
            },
            CandidateStackBytes)
        {
            IsBackground = true,
            Name = "candidate",
        };

        SetHeapLimit(memoryBytes);
        s_outOfMemory = false;
        s_running = true;
        var budget = new CpuBudget(timeLimit, backstopFactor);
        thread.Start();
        var finished = thread.Join(TimeSpan.FromMilliseconds(20));
        while (!finished && !budget.Exceeded)
        {
            finished = thread.Join(TimeSpan.FromMilliseconds(20));
        }

        var elapsed = budget.Elapsed;
        s_running = false;

        if (!finished)
        {
            return new Result(RunOutcome.TimeLimit, null, log.ToString(), budget.Describe("The run"), false, elapsed);
        }

        loadContext.Unload();
        var result = Classify(output, failure, failureText, log, maxOutputBytes, elapsed);
        SetHeapLimit(s_baselineHeapLimit);
        return result;
    }

    private static Result Classify(string? output, Exception? failure, string? failureText, CappedTextWriter log, int maxOutputBytes, TimeSpan elapsed)
    {
        var logText = log.ToString();
        if (s_outOfMemory || failure is OutOfMemoryException || failure?.InnerException is OutOfMemoryException)
        {
            return new Result(RunOutcome.MemoryLimit, null, logText, "The run exceeded its memory limit.", true, elapsed);
        }

        if (log.Overflowed || failure is OutputLimitException)
        {
            return new Result(RunOutcome.OutputLimit, null, logText, $"The candidate wrote more than {maxOutputBytes} bytes of output.", true, elapsed);
        }

        if (failure is not null)
        {
            return new Result(RunOutcome.RuntimeError, null, logText, failureText, true, elapsed);
        }

        if (output is not null && Encoding.UTF8.GetByteCount(output) > maxOutputBytes)
        {
            return new Result(RunOutcome.OutputLimit, null, logText, $"The harness output is larger than {maxOutputBytes} bytes.", true, elapsed);
        }

        return new Result(RunOutcome.Ok, output ?? "null", logText, null, true, elapsed);
    }

    /// <summary>Runs on the candidate's thread: the candidate may override Message or StackTrace to throw, loop or recurse.</summary>
    private static string SafeDescribe(Exception failure)
    {
        try
        {
            return failure switch
            {
                HarnessException h => h.Message,
                TypeInitializationException t when t.InnerException is { } inner => $"A static constructor of {t.TypeName} threw {Describe(inner)}",
                _ => Describe(failure),
            };
        }
#pragma warning disable CA1031 // A throwing Message is the candidate's fault and part of its verdict.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"{failure.GetType().Name} (reading its message threw {e.GetType().Name})";
        }
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        var frame = e.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Candidate.cs", StringComparison.Ordinal));
        return frame is null ? text : text + " " + frame.Trim();
    }

    /// <summary>Caps the managed heap (0 removes the override).</summary>
    private static void SetHeapLimit(long bytes)
    {
        AppContext.SetData("GCHeapHardLimit", bytes > 0 ? (ulong)bytes : null);
        try
        {
            GC.RefreshMemoryLimit();
        }
        catch (InvalidOperationException)
        {
            // The new limit is below what is already committed: keep the previous one.
        }
    }
}
