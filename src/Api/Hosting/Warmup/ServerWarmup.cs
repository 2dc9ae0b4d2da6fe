using System.Diagnostics;
using EvoCode.Api.Examples;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using EvoCode.Sandbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using EvoCode.Sandbox.Configuration;

namespace EvoCode.Api.Hosting.Warmup;

/// <summary>
/// Warms the server's hot paths once at start, in the background, so the first evaluations of the first run do
/// not pay for JIT compilation and first-use set-up: the store (EF Core's model and query pipeline), the program
/// languages (markers, fingerprints, code features on each example's seed) and the sandbox (compile checks of
/// the C# examples on every worker, which also become the pool's warm-up programs for later workers). The server
/// serves meanwhile; <c>/health/ready</c> reports the warm-up as degraded until it is done (still ready).
/// </summary>
internal sealed partial class ServerWarmup(
    ExampleShelf examples,
    IDbContextFactory<EvoCodeDbContext> contexts,
    SandboxRunner sandbox,
    IOptions<SandboxOptions> sandboxOptions,
    WarmupStatus status,
    ILogger<ServerWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Task.Yield();
            var seeds = examples.All.Select(e => (Source: e.Seed, Language: ProgramLanguages.Find(e.Language) ?? ProgramLanguages.CSharp)).ToList();
            status.Step("the program languages");
            foreach (var (source, language) in seeds)
            {
                CodeFingerprint.Of(source, language);
                CodeFeatures.Measure(source, language);
                EvolveBlocks.TryParse(source, language, out _, out _);
            }

            status.Step("the store");
            await using (var db = await contexts.CreateDbContextAsync(stoppingToken))
            {
                await db.Runs.AsNoTracking().Where(r => r.Id == Guid.Empty).ToListAsync(stoppingToken);
                await db.Candidates.AsNoTracking().Where(c => c.RunId == Guid.Empty).OrderBy(c => c.Sequence).Take(1).ToListAsync(stoppingToken);
            }

            // Each worker gets about Sandbox:WarmupCompiles checks (the pool hands workers out in turn).
            var csharp = seeds.Where(s => s.Language == ProgramLanguages.CSharp).Select(s => s.Source).ToList();
            var checks = csharp.Count == 0 ? 0 : Math.Max(csharp.Count, sandboxOptions.Value.WarmupCompiles * (sandboxOptions.Value.Workers + sandboxOptions.Value.CompileWorkers));
            status.Step($"the sandbox ({checks} compile checks of {csharp.Count} examples)");
            await sandbox.WarmAsync(csharp, checks, stoppingToken);
            status.Done($"Warm: {seeds.Count} example seeds through the languages, the store, {checks} compile checks in the sandbox.", clock.Elapsed);
            LogWarm(logger, clock.Elapsed.TotalMilliseconds, checks);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down before the warm-up ended.
        }
#pragma warning disable CA1031 // A failed warm-up leaves the server cold, never down: it is reported and the server serves.
        catch (Exception e)
#pragma warning restore CA1031
        {
            status.Failed($"{e.GetType().Name}: {e.Message}", clock.Elapsed);
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Server warm-up done in {Milliseconds:F0} ms ({Checks} sandbox compile checks)")]
    private static partial void LogWarm(ILogger logger, double milliseconds, int checks);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server warm-up failed; the server serves, but its first evaluations run cold")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
