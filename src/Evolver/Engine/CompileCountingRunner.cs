using EvoCode.Evaluators.Contract;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// The sandbox as one evaluation sees it, noting how many compiles the program has cost: the most any of its runs
/// (a cascade runs a program several times) reports for its source, which covers the operator's and the screen's
/// compiles made before the evaluation.
/// </summary>
internal sealed class CompileCountingRunner(ICandidateRunner runner) : ICandidateRunner
{
    private int _compiles;

    public int Compiles => Volatile.Read(ref _compiles);

    public async Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken)
    {
        var run = await runner.RunAsync(invocation, cancellationToken);
        int seen;
        do
        {
            seen = Volatile.Read(ref _compiles);
        }
        while (run.SourceCompiles > seen && Interlocked.CompareExchange(ref _compiles, run.SourceCompiles, seen) != seen);

        return run;
    }

    public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken) => runner.RunCommandAsync(invocation, cancellationToken);
}
