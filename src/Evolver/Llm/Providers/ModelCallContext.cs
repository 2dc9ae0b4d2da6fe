namespace EvoCode.Evolver.Llm;

/// <summary>Who pays for a call: the run and the operator, for accounting.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Operator">The operator (or "meta").</param>
/// <param name="DeferFinalRecord">When true, the attempt that produced a reply is not stored yet: the caller stores <see cref="ModelReply.FinalRecord"/> once it knows what became of the edit.</param>
public sealed record ModelCallContext(Guid RunId, string Operator, bool DeferFinalRecord = false)
{
    /// <summary>The run's ledger every attempt reserves in and settles with; calls outside a run (a connectivity check) count in a ledger of their own.</summary>
    public ModelLedger Ledger { get; init; } = ModelLedger.Unlimited();

    /// <summary>The proposal the call is made for, so the engine can point the call's record at the program it produced.</summary>
    public Guid? ProposalId { get; init; }
}
