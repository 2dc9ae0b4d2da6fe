using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EvoCode.Evaluators.Contract;
using EvoCode.Sandbox.Configuration;
using EvoCode.Sandbox.Pool;
using EvoCode.Sandbox.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EvoCode.Sandbox;

/// <summary>
/// The sandbox: compiles and runs candidates in a pool of warm, jailed worker processes, and runs external
/// commands in fresh jailed folders. Nothing a candidate does can reach this process beyond a verdict.
/// (Over 300 lines: the public entry points, the retry rule for dead workers and the mapping of how a
/// request ended to a verdict belong together.)
/// </summary>
public sealed class SandboxRunner : ICandidateRunner, ICandidateCompiler, ISandboxStatus, IAsyncDisposable
{
    private readonly SandboxOptions _options;
    private readonly ILogger _logger;
    private readonly WorkerPool _pool;
    private readonly CommandExecution _commands;
    private readonly CompileCache _kept;
    private long _compiles;

    /// <summary>Creates a runner; call <see cref="StartAsync"/> (the hosted service does) before use.</summary>
    public SandboxRunner(IOptions<SandboxOptions> options, ILogger<SandboxRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _pool = new WorkerPool(_options, logger, new WorkerWarmup(_options, Request));
        _commands = new CommandExecution(_options, _pool);
        _kept = new CompileCache(_options.CompileCacheEntries);
    }

    /// <inheritdoc />
    public string IsolationLevel => _pool.Started ? _pool.Jail.Level.ToString().ToLowerInvariant() : "starting";

    /// <inheritdoc />
    public IReadOnlyList<string> Measures => _pool.Started ? _pool.Jail.Measures : [];

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _pool.Started ? _pool.Jail.Warnings : [];

    /// <inheritdoc />
    public int Workers => _options.Workers;

    /// <inheritdoc />
    public int IdleWorkers => _pool.IdleWorkers;

    /// <inheritdoc />
    public int LiveWorkers => _pool.LiveWorkers;

    /// <inheritdoc />
    public string? StartFailure => _pool.StartFailure;

    /// <summary>Compiles the workers have done for callers since start (a kept compilation costs none).</summary>
    public long Compiles => Interlocked.Read(ref _compiles);

    /// <summary>Compile verdicts kept now.</summary>
    public int KeptCompilations => _kept.Count;

    /// <summary>The pool, for tests that watch or kill its workers.</summary>
    internal WorkerPool Pool => _pool;

    /// <summary>Creates and starts a runner outside dependency injection (tools, benchmarks, tests).</summary>
    public static async Task<SandboxRunner> StartNewAsync(SandboxOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        var runner = new SandboxRunner(Options.Create(options), (loggers ?? NullLoggerFactory.Instance).CreateLogger<SandboxRunner>());
        await runner.StartAsync(cancellationToken);
        return runner;
    }

    /// <summary>Settles the jail and starts the warm workers in the background.</summary>
    /// <exception cref="InvalidOperationException">Full isolation is required and unavailable.</exception>
    public Task StartAsync(CancellationToken cancellationToken) => _pool.StartAsync(cancellationToken);

    /// <summary>Waits until every worker is warm.</summary>
    public Task WaitUntilWarmAsync(CancellationToken cancellationToken) => _pool.WaitUntilWarmAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!HarnessCatalog.TryGet(invocation.Harness, out _))
        {
            return CandidateRun.Failed(RunOutcome.RuntimeError, $"Unknown harness '{invocation.Harness}'. Known: {string.Join(", ", HarnessCatalog.Names)}.", TimeSpan.Zero);
        }

        if (TooLarge(invocation.Source) is { } tooLarge)
        {
            return CandidateRun.Failed(RunOutcome.CompileError, tooLarge.Message, TimeSpan.Zero, [tooLarge]);
        }

        var wall = Clamp(invocation.Limits.WallTime, TimeSpan.FromMilliseconds(10), _options.MaxWallTime);
        var memory = Math.Clamp(invocation.Limits.MemoryBytes, 16L * 1024 * 1024, _options.MaxMemoryBytes);
        var output = Math.Clamp(invocation.Limits.MaxOutputBytes, 256, _options.MaxOutputBytes);
        var request = Request(RequestKinds.Run, invocation.Source) with
        {
            Harness = invocation.Harness,
            ParametersJson = invocation.Parameters.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "{}" : invocation.Parameters.GetRawText(),
            Seed = invocation.Seed,
            WallTimeMs = (long)wall.TotalMilliseconds,
            MemoryBytes = memory,
            MaxOutputBytes = output,
        };

        var clock = Stopwatch.StartNew();
        var kept = _kept.Find(_pool.ReferenceSet, invocation.Source);
        if (kept is { Outcome: not RunOutcome.Ok })
        {
            // The screen already refused this source: the same verdict, without a worker.
            return Capped(CandidateRun.Failed(kept.Outcome, Refusal(kept.Outcome), TimeSpan.Zero, kept.Diagnostics)) with { CompileCacheHit = true, SourceCompiles = kept.Compiles };
        }

        var lane = await ExchangeAsync(WorkerLane.Evaluation, request, kept, wall, cancellationToken);
        var exchange = lane.Exchange;
        RememberIfCompiled(exchange, invocation.Source);
        var sourceCompiles = lane.Loaded ? kept!.Compiles : lane.Compiles;
        if (exchange is { End: ExchangeEnd.Answered, Response: { Compiled: true } r } && (r.Image is not null || !exchange.Compiled))
        {
            // A compile here (no kept one, or one made by other workers): keep it for the next run of the same source.
            sourceCompiles = _kept.Keep(lane.ReferenceSet, invocation.Source, r.Image is not null ? RunOutcome.Ok : r.Outcome ?? RunOutcome.Crashed, r.Image is not null ? [] : r.Diagnostics ?? [], r.Image);
        }

        // The caller's time splits into the wait for a worker, the run, and the compile (everything else: the
        // source's trip to the worker, compiling or loading the kept image, the policy check), so the parts add up
        // to what the caller waited.
        var run = ToRun(exchange, wall, output);
        var compile = clock.Elapsed - lane.Waited - run.Elapsed;
        return Capped(run) with
        {
            WorkerWait = lane.Waited,
            CompileTime = compile > TimeSpan.Zero ? compile : TimeSpan.Zero,
            Compiles = lane.Compiles,
            CompileCacheHit = lane.Loaded,
            SourceCompiles = sourceCompiles,
        };
    }

    /// <inheritdoc />
    public async Task<CompileCheck> CheckAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (TooLarge(source) is { } tooLarge)
        {
            return new CompileCheck(RunOutcome.CompileError, [tooLarge]);
        }

        if (_kept.Find(_pool.ReferenceSet, source) is { } kept)
        {
            return new CompileCheck(kept.Outcome, Capped(kept.Diagnostics)) { CompileCacheHit = true };
        }

        var lane = await ExchangeAsync(WorkerLane.Compile, Request(RequestKinds.Check, source), null, TimeSpan.Zero, cancellationToken);
        var exchange = lane.Exchange;
        RememberIfCompiled(exchange, source);
        if (exchange is { End: ExchangeEnd.Answered, Response: { } answer })
        {
            _kept.Keep(lane.ReferenceSet, source, answer.Outcome ?? RunOutcome.Crashed, answer.Diagnostics ?? [], answer.Image);
        }

        var check = exchange.End switch
        {
            ExchangeEnd.Answered => new CompileCheck(exchange.Response!.Outcome ?? RunOutcome.Crashed, Capped(exchange.Response.Diagnostics ?? [])),
            ExchangeEnd.CompileTimedOut => new CompileCheck(RunOutcome.CompileError, [CompileTimeLimit()]),
            _ => new CompileCheck(RunOutcome.Crashed, [new SourceDiagnostic("CompilerCrashed", "The compiler's process died on this source (too deeply nested?).", 0, 0)]),
        };
        return check with { Compiles = lane.Compiles };
    }

    /// <summary>
    /// Warms the workers with <paramref name="checks"/> compile checks cycling through <paramref name="sources"/>
    /// (the pool hands its workers out in turn, and the checks go to the compile and the evaluation lane in
    /// proportion to their workers, so each worker gets its share); those that compile also warm every worker started later, until the sandbox has compiled
    /// enough real programs to warm on. The server passes its examples. The checks bypass the compile cache on
    /// purpose: a kept verdict would answer without warming any worker.
    /// </summary>
    public async Task WarmAsync(IReadOnlyList<string> sources, int checks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        for (var i = 0; i < checks && sources.Count > 0; i++)
        {
            var source = sources[i % sources.Count];
            var lane = i % (_options.Workers + _options.CompileWorkers) < _options.CompileWorkers ? WorkerLane.Compile : WorkerLane.Evaluation;
            var answer = await ExchangeAsync(lane, Request(RequestKinds.Check, source), null, TimeSpan.Zero, cancellationToken);
            RememberIfCompiled(answer.Exchange, source);
        }
    }

    /// <inheritdoc />
    public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        return _commands.RunAsync(invocation, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        _commands.Dispose();
    }

    /// <summary>
    /// One request on a borrowed worker of <paramref name="lane"/>, retried on another worker when the worker died
    /// without the program being to blame: before the request reached it, or with no sign the program caused it (a
    /// stack overflow, the memory or CPU limit). An unexplained death is retried once more; dying twice makes it the
    /// program's verdict. A <paramref name="kept"/> compilation goes along with the request to workers of its reference set.
    /// The answer also holds the time spent waiting for workers (every try's).
    /// </summary>
    private async Task<LaneExchange> ExchangeAsync(WorkerLane lane, WorkerRequest request, CompileCache.Entry? kept, TimeSpan wall, CancellationToken cancellationToken)
    {
        var unsent = 0;
        var confirmed = false;
        var compiles = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            var renting = Stopwatch.GetTimestamp();
            var worker = await _pool.RentAsync(lane, cancellationToken);
            waited += Stopwatch.GetElapsedTime(renting);
            var keep = false;
            var reason = "the request was cancelled during the exchange";
            var image = kept is { Image: not null } && kept.ReferenceSet == worker.ReferenceSet;
            WorkerExchange exchange;
            try
            {
                var sent = image ? request with { Image = kept!.Image, ImageSha256 = kept.ImageSha256 } : request;
                exchange = await worker.ExchangeAsync(sent, Backstop(_options.CompileTimeout) + _options.Grace, Backstop(wall) + _options.Grace, _pool.StepHook, cancellationToken);
                keep = exchange.End == ExchangeEnd.Answered && exchange.Response is { Recycle: false };
                reason = ReplacementReason(exchange);
            }
            finally
            {
                _pool.Return(worker, keep, reason);
            }

            // A worker that answered says whether it compiled; one that did not answer compiled unless it had an image.
            var compiled = exchange.Sent && (exchange.Response is { } answered ? answered.Compiled : !image);
            compiles += compiled ? 1 : 0;
            Interlocked.Add(ref _compiles, compiled ? 1 : 0);
            if (exchange.End != ExchangeEnd.Died)
            {
                return new LaneExchange(exchange, compiles, image && !compiled, worker.ReferenceSet, waited);
            }

            if (_pool.Stopping)
            {
                throw new SandboxUnavailableException("The sandbox is stopping.");
            }

            if (!exchange.Sent)
            {
                // The worker was dead before it saw the program.
                if (++unsent > _pool.SlotsOf(lane) + 2)
                {
                    throw new SandboxUnavailableException($"Sandbox workers keep dying before they receive a request: {Tail(exchange.Stderr)}");
                }

                continue;
            }

            if (ProgramCaused(exchange) || confirmed)
            {
                return new LaneExchange(exchange, compiles, image && !compiled, worker.ReferenceSet, waited);
            }

            confirmed = true;
            _logger.LogInformation("Sandbox worker {Pid} died during a request with no sign the program caused it (exit {ExitCode}); trying once more on another worker", worker.ProcessId, exchange.ExitCode);
        }
    }

    /// <summary>A program the worker compiled and checked without fault is a representative warm-up program.</summary>
    private void RememberIfCompiled(WorkerExchange exchange, string source)
    {
        if (exchange.Compiled || exchange is { End: ExchangeEnd.Answered, Response.Outcome: RunOutcome.Ok })
        {
            _pool.Warmup.Remember(source);
        }
    }

    /// <summary>The wall-clock backstop for a CPU-time limit.</summary>
    private TimeSpan Backstop(TimeSpan limit) => (limit * _options.WallClockBackstopFactor) + TimeSpan.FromSeconds(5);

    /// <summary>Deaths only the program's own run explains.</summary>
    private static bool ProgramCaused(WorkerExchange exchange) =>
        exchange.ExitCode == 152
        || exchange.Stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase)
        || exchange.Stderr.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase)
        || exchange.Stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase);

    private static string ReplacementReason(WorkerExchange exchange) => exchange.End switch
    {
        ExchangeEnd.Answered => "it asked to be recycled after the request (time or memory limit, or grown state)",
        ExchangeEnd.CompileTimedOut => "it missed the compile deadline and was killed",
        ExchangeEnd.RunTimedOut => "it missed the run deadline and was killed",
        ExchangeEnd.Flooded => "it sent a frame over the cap and was killed",
        ExchangeEnd.Died when !exchange.Sent => $"it was dead before the request reached it: {Tail(exchange.Stderr)}",
        _ => $"it died during a request (exit {exchange.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}): {Tail(exchange.Stderr)}",
    };

    private WorkerRequest Request(string kind, string source) => new(
        kind,
        Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        source,
        null,
        null,
        0,
        0,
        0,
        0,
        (int)_options.CompileTimeout.TotalMilliseconds,
        _options.MaxSourceBytes,
        _options.WallClockBackstopFactor,
        _options.MaxTextFieldBytes);

    private SourceDiagnostic? TooLarge(string source)
    {
        var bytes = Encoding.UTF8.GetByteCount(source);
        return bytes <= _options.MaxSourceBytes
            ? null
            : new SourceDiagnostic("SourceLimit", $"Source limit: the source is {bytes} bytes; the limit is {_options.MaxSourceBytes}.", 0, 0);
    }

    /// <summary>Every text the candidate could have shaped, cut to <see cref="SandboxOptions.MaxTextFieldBytes"/> (the worker cuts too; this holds if it did not).</summary>
    private CandidateRun Capped(CandidateRun run) => run with
    {
        Log = TextCap.Cut(run.Log, _options.MaxTextFieldBytes),
        Error = TextCap.Cut(run.Error, _options.MaxTextFieldBytes),
        Diagnostics = Capped(run.Diagnostics),
    };

    private IReadOnlyList<SourceDiagnostic> Capped(IReadOnlyList<SourceDiagnostic> diagnostics) =>
        diagnostics.Count > 100
            ? [.. diagnostics.Take(100).Select(Capped), new SourceDiagnostic("TooManyDiagnostics", $"{diagnostics.Count - 100} more diagnostics were cut by the sandbox.", 0, 0)]
            : [.. diagnostics.Select(Capped)];

    private SourceDiagnostic Capped(SourceDiagnostic diagnostic) => diagnostic with { Message = TextCap.Cut(diagnostic.Message, _options.MaxTextFieldBytes)! };

    private static string Refusal(RunOutcome outcome) =>
        outcome == RunOutcome.PolicyViolation ? "The source uses APIs the sandbox refuses." : "The source does not compile.";

    private static SourceDiagnostic CompileTimeLimit() =>
        new("CompileTimeLimit", "Compilation exceeded its time limit; simplify deeply nested lambdas, generics or expressions.", 0, 0);

    private static CandidateRun ToRun(WorkerExchange exchange, TimeSpan wall, int maxOutputBytes)
    {
        switch (exchange.End)
        {
            case ExchangeEnd.Answered:
                var r = exchange.Response!;
                return new CandidateRun(
                    r.Outcome ?? RunOutcome.Crashed,
                    r.Outcome == RunOutcome.Ok ? r.Output : null,
                    r.Log,
                    r.Diagnostics ?? [],
                    r.Error,
                    TimeSpan.FromMilliseconds(r.RunMs),
                    r.PeakMemoryBytes);
            case ExchangeEnd.CompileTimedOut:
                return CandidateRun.Failed(RunOutcome.CompileError, "Compilation exceeded its time limit.", exchange.Elapsed, [CompileTimeLimit()]);
            case ExchangeEnd.RunTimedOut:
                return CandidateRun.Failed(RunOutcome.TimeLimit, $"The run did not end within the wall-clock backstop of its {wall.TotalSeconds:0.###} s limit and was killed.", exchange.Elapsed);
            case ExchangeEnd.Flooded:
                return CandidateRun.Failed(RunOutcome.OutputLimit, $"The worker sent more than allowed (output cap {maxOutputBytes} bytes).", exchange.Elapsed);
            default:
                return Died(exchange);
        }
    }

    private static CandidateRun Died(WorkerExchange exchange)
    {
        var stderr = exchange.Stderr;
        if (!exchange.Compiled)
        {
            return CandidateRun.Failed(RunOutcome.Crashed, $"The compiler's process died on this source. {Tail(stderr)}", exchange.Elapsed,
                [new SourceDiagnostic("CompilerCrashed", "The compiler's process died on this source (too deeply nested?).", 0, 0)]);
        }

        if (stderr.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase) || stderr.Contains("Out of memory", StringComparison.OrdinalIgnoreCase))
        {
            return CandidateRun.Failed(RunOutcome.MemoryLimit, "The run exceeded its memory limit and the process died.", exchange.Elapsed);
        }

        var reason = stderr.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase)
            ? "stack overflow (unbounded recursion?)"
            : exchange.ExitCode switch
            {
                null => "no exit code",
                137 => "killed (SIGKILL)",
                134 => "aborted (SIGABRT)",
                152 => "CPU time limit (SIGXCPU)",
                var code => $"exit code {code}",
            };

        if (exchange.ExitCode == 152)
        {
            return CandidateRun.Failed(RunOutcome.TimeLimit, "The worker reached its CPU-time limit.", exchange.Elapsed);
        }

        return CandidateRun.Failed(RunOutcome.Crashed, $"The candidate's process died: {reason}. {Tail(stderr)}", exchange.Elapsed);
    }

    /// <summary>The end of the worker's stderr (the runtime's own crash report), for people diagnosing a crash.</summary>
    private static string Tail(string stderr)
    {
        var text = stderr.Trim();
        return text.Length <= 600 ? text : "..." + text[^600..];
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
