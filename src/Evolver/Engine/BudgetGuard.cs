using System.Globalization;
using EvoCode.Evolver.Domain;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Decides when a run must stop: evaluation, proposal and wall-time budgets, the target score, the ledger's
/// token and cost budgets (it refuses a call whose worst case does not fit), and stall protection (too many
/// model calls, or proposal slots, in a row without a child worth evaluating). Holds the evaluation slots
/// proposal workers take, so concurrent slots never overshoot <c>maxEvaluations</c>. Thread-safe: the
/// counters change with <see cref="Interlocked"/> only, and the finish reason is set once.
/// </summary>
internal sealed class BudgetGuard(RunState state, int maxFailedProposalsInRow)
{
    private long _reserved;
    private long _failedInRow;
    private long _callsAtLastChild = state.Ledger.Spent.Calls;
    private const string StallPrefix = "Stalled:";

    /// <summary>How a run ended by patience starts its reason.</summary>
    public const string PatiencePrefix = "Patience:";
    private const string SlotsTakenPrefix = "Reached the evaluation budget";
    private string? _finishReason;

    /// <summary>Why the run ends, once something ended it.</summary>
    public string? FinishReason => Volatile.Read(ref _finishReason);

    /// <summary>
    /// Whether a proposal slot in flight must stop retrying. Not when the run ends only because every evaluation
    /// slot is taken: the slots in flight hold the last evaluations of the budget, and ending them would leave
    /// the run short of <c>maxEvaluations</c>. Spending budgets stay hard: the ledger refuses a call that does not fit.
    /// </summary>
    public bool HaltsSlotsInFlight => FinishReason is { } reason && !reason.StartsWith(SlotsTakenPrefix, StringComparison.Ordinal);

    /// <summary>Whether the run ends because it stalled (it then ends as Failed, not Completed).</summary>
    public bool Stalled => FinishReason?.StartsWith(StallPrefix, StringComparison.Ordinal) == true;

    /// <summary>Counts programs already stored (evaluated or pending) against the evaluation budget.</summary>
    public void Start(long storedPrograms) => Interlocked.Exchange(ref _reserved, storedPrograms);

    /// <summary>Ends the run with this reason, unless something ended it first.</summary>
    public void End(string reason) => Interlocked.CompareExchange(ref _finishReason, reason, null);

    /// <summary>Under the run's lock: takes an evaluation slot for a new proposal, or returns why the run must stop.</summary>
    public string? TryTakeSlot()
    {
        if ((FinishReason ?? SpendingReason()) is { } reason)
        {
            End(reason);
            return FinishReason;
        }

        if (state.Settings.MaxEvaluations is { } maxEvaluations && Interlocked.Read(ref _reserved) >= maxEvaluations)
        {
            End($"{SlotsTakenPrefix} ({maxEvaluations}).");

            return FinishReason;
        }

        Interlocked.Increment(ref _reserved);
        return null;
    }

    /// <summary>
    /// Takes one more evaluation for a proposal that evaluates in the sandbox before it offers a child (constant
    /// tuning's trials), when the evaluation budget has one left. Never ends the run: the next slot taken does.
    /// </summary>
    public bool TryTakeExtraSlot()
    {
        while (true)
        {
            var reserved = Interlocked.Read(ref _reserved);
            if (state.Settings.MaxEvaluations is { } maxEvaluations && reserved >= maxEvaluations)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a slot whose proposal stored nothing.</summary>
    public void ReturnSlot() => Interlocked.Decrement(ref _reserved);

    /// <summary>Takes a slot for a program that is not proposed (the seed).</summary>
    public void TakeSlotUnchecked() => Interlocked.Increment(ref _reserved);

    /// <summary>
    /// Budgets a proposal slot spends while it retries (proposals, tokens, cost, time, calls without a child) or
    /// that make more proposals pointless (the target). The evaluation budget is not among them: a slot holds its evaluation.
    /// </summary>
    public string? SpendingReason()
    {
        var settings = state.Settings;
        var run = state.Run;
        if (settings.TargetScore is { } target && run.BestScore >= target)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Reached the target score {target}.");
        }

        if (settings.Patience is { } patience && run.Evaluations - run.Statistics.BestImprovedAt >= patience)
        {
            return $"{PatiencePrefix} the best has not improved in {patience} evaluations (run setting patience).";
        }

        if (settings.MaxProposals is { } maxProposals && run.Proposals >= maxProposals)
        {
            return $"Reached the proposal budget ({maxProposals}).";
        }

        if (state.Ledger.Exhausted is { } spent)
        {
            return spent;
        }

        if (settings.MaxTokens is { } maxTokens && state.Ledger.Spent.Tokens >= maxTokens)
        {
            return $"Reached the token budget ({maxTokens}).";
        }

        if (settings.MaxCost is { } maxCost && state.Ledger.Spent.Cost >= maxCost)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Reached the cost budget ({maxCost}).");
        }

        if (CallsWithoutChild() is var calls && calls >= settings.MaxCallsWithoutChild)
        {
            return $"{StallPrefix} {calls} model calls in a row produced no program worth evaluating (limit {settings.MaxCallsWithoutChild}, run setting maxCallsWithoutChild).";
        }

        return settings.MaxWallTimeSeconds is { } maxSeconds && state.ActiveSeconds >= maxSeconds
            ? string.Create(CultureInfo.InvariantCulture, $"Reached the wall-time budget ({maxSeconds} s).")
            : null;
    }

    /// <summary>A child was stored for evaluation: the stall counters start again.</summary>
    public void ChildStored()
    {
        Interlocked.Exchange(ref _failedInRow, 0);
        Interlocked.Exchange(ref _callsAtLastChild, state.Ledger.Spent.Calls);
    }

    /// <summary>A proposal slot gave up without a child; too many in a row stall the run (for operators that call no model).</summary>
    public void SlotGaveUp()
    {
        var failed = Interlocked.Increment(ref _failedInRow);
        if (failed >= maxFailedProposalsInRow)
        {
            End($"{StallPrefix} {failed} proposal slots in a row produced no new program.");
        }
    }

    private long CallsWithoutChild() => state.Ledger.Spent.Calls - Interlocked.Read(ref _callsAtLastChild);
}
