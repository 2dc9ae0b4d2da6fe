using EvoCode.Evaluators.Contract;

namespace EvoCode.Evaluators.Tests.Runners;

/// <summary>Answers each run with the next canned result, and records what it was asked to run.</summary>
internal sealed class ScriptedRunner(params CandidateRun[] runs) : ICandidateRunner
{
    private readonly Queue<CandidateRun> _runs = new(runs);

    public List<CandidateInvocation> Invocations { get; } = [];

    public Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken)
    {
        Invocations.Add(invocation);
        return Task.FromResult(_runs.Dequeue());
    }

    public Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This runner only answers candidate runs.");
}
