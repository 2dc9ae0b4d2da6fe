using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Persistence;
using EvoCode.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvoCode.Evolver.Tests.Engine;

/// <summary>The real engine on a real store, with a test evaluator; start and stop it like a server would.</summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _running;

    public EngineHarness(TestStore store, IEvaluator evaluator, Action<IServiceCollection, IConfiguration>? configure = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Store = store;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Engine:PollInterval"] = "00:00:00.100",
            ["Engine:InstanceId"] = "test-engine",
        }).AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(Log));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IDbContextFactory<EvoCodeDbContext>>(store);
        services.AddSingleton<IEvaluatorResolver>(new FixedEvaluatorResolver(evaluator));
        services.AddSingleton<ICandidateRunner, UnusedRunner>();
        configure?.Invoke(services, configuration);
        services.AddEvoCodeEngine(configuration);
        _services = services.BuildServiceProvider();
    }

    public TestStore Store { get; }

    /// <summary>Warnings and errors the engine logged.</summary>
    public CollectingLoggerProvider Log { get; } = new();

    public EvolutionEngine Engine => _services.GetRequiredService<EvolutionEngine>();

    public RunControl Control => _services.GetRequiredService<RunControl>();

    /// <summary>One of the engine's services, for tests that drive an engine part directly.</summary>
    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Engine.StartAsync(cancellationToken);
        _running = true;
    }

    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await Engine.StopAsync(CancellationToken.None);
        }
    }

    public async Task<Problem> AddProblemAsync(string seed, CancellationToken cancellationToken)
    {
        await using var db = Store.CreateDbContext();
        var problem = new Problem
        {
            Id = Guid.NewGuid(),
            Name = $"quadratic-{Guid.NewGuid():N}",
            Description = "Make X() find x = 3 and y = -1.",
            SeedSource = seed,
            EvaluatorId = "quadratic",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        db.Problems.Add(problem);
        await db.SaveChangesAsync(cancellationToken);
        return problem;
    }

    /// <summary>Waits until the run leaves Pending/Running, or fails the test after <paramref name="timeout"/>.</summary>
    public async Task<Run> WaitForEndAsync(Guid runId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Store.CreateDbContext();
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
            if (run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                TestContext.Current.SendDiagnosticMessage(string.Join('\n', Log.Lines));
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} is still {run.Status} after {timeout} ({run.Evaluations} evaluations).\n{string.Join('\n', Log.Lines)}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task<Run> WaitForEvaluationsAsync(Guid runId, long evaluations, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using var db = Store.CreateDbContext();
            var run = await db.Runs.AsNoTracking().SingleAsync(r => r.Id == runId, cancellationToken);
            if (run.Evaluations >= evaluations || run.Status is not (RunStatus.Pending or RunStatus.Running))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Run {runId} has {run.Evaluations} evaluations after {timeout}.");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }

    private sealed class FixedEvaluatorResolver(IEvaluator evaluator) : IEvaluatorResolver
    {
        public IEvaluator Resolve(Problem problem) => evaluator;
    }

    private sealed class UnusedRunner : ICandidateRunner
    {
        public Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The quadratic evaluator runs nothing.");

        public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The quadratic evaluator runs nothing.");
    }
}
