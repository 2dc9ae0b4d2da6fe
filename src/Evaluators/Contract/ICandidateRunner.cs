namespace EvoCode.Evaluators.Contract;

/// <summary>
/// Runs untrusted code in isolation. The sandbox implements it; evaluators only consume it, so an
/// evaluator never executes a candidate in its own process.
/// </summary>
public interface ICandidateRunner
{
    /// <summary>Compiles the candidate, checks it against the API policy, and runs it under its harness.</summary>
    Task<CandidateRun> RunAsync(CandidateInvocation invocation, CancellationToken cancellationToken);

    /// <summary>Runs a user's command under the same jail and limits, in a fresh folder holding the invocation's files.</summary>
    Task<CommandRun> RunCommandAsync(CommandInvocation invocation, CancellationToken cancellationToken);
}
