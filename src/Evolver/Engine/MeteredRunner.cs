using EvoCode.Evaluators.Contract;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The sandbox as one evaluation's evaluator sees it, adding up where the sandbox's time went over every run the
/// evaluator asks for (cascade stages, commands): waiting for a worker, compiling, running. What the evaluation
/// took beyond these is the evaluator's own scoring. It also notes how many compiles the program has cost: the
/// most any of its runs reports for its source, which covers the operator's and the screen's compiles made before
/// the evaluation (issue 18). One per evaluation; evaluators call it one run at a time.
/// </summary>
internal sealed class MeteredRunner(ICandidateRunner sandbox) : ICandidateRunner
{
    private readonly Lock _lock = new();

    public TimeSpan WorkerWait { get; private set; }

    public TimeSpan Compile { get; private set; }

    public TimeSpan Run { get; private set; }

    /// <summary>Whether any of the compiles was reused from an earlier compile of the same source.</summary>
    public bool CompileCached { get; private set; }

    /// <summary>Compiles of the program's source the sandbox has made so far (1 when it was compiled once).</summary>
    public int Compiles { get; private set; }

    public async Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken)
    {
        var run = await sandbox.RunAsync(invocation, cancellationToken);
        lock (_lock)
        {
            WorkerWait += run.WorkerWait;
            Compile += run.CompileTime;
            Run += run.Elapsed;
            CompileCached |= run.CompileCacheHit;
            Compiles = Math.Max(Compiles, run.SourceCompiles);
        }

        return run;
    }

    public async Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var run = await sandbox.RunCommandAsync(invocation, cancellationToken);
        lock (_lock)
        {
            Run += run.Elapsed;
        }

        return run;
    }
}
