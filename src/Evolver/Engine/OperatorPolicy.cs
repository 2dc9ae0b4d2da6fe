using EvoCode.Evolver.Mutation;

namespace EvoCode.Evolver.Engine;

/// <summary>An operator to run and, for a fix, the failed program it mends.</summary>
internal sealed record OperatorChoice(IMutationOperator Operator, ParentProgram? FixTarget);

/// <summary>
/// The operator policy: operators are drawn by the run's configured weights; a <c>fix</c> mends only a recent
/// failure (see <see cref="RequestBuilder.RecentWindow"/>) not made by more than <c>fixDepthLimit</c> fixes in a
/// row, and only while fixes stay within <c>fixShareCap</c> of the run's proposals. A drawn fix that may not
/// run is drawn again among the other operators, so their relative weights hold. Thread-safe.
/// </summary>
internal sealed class OperatorPolicy
{
    /// <summary>The name of the operator that mends failed programs.</summary>
    public const string FixOperator = "fix";

    private const int Draws = 16;

    private readonly RunOperators _operators;
    private readonly double _fixShareCap;
    private long _proposals;
    private long _fixes;

    /// <summary>The policy of a run that made <paramref name="proposals"/> proposals so far, <paramref name="fixes"/> of them fixes.</summary>
    public OperatorPolicy(RunOperators operators, double fixShareCap, long proposals, long fixes)
    {
        _operators = operators;
        _fixShareCap = fixShareCap;
        _proposals = proposals;
        _fixes = fixes;
    }

    /// <summary>Draws the next proposal's operator; <c>null</c> when none may run (only fix is configured and nothing may be fixed).</summary>
    public OperatorChoice? Pick(Random random, bool hasSecondParent, IReadOnlyList<ParentProgram> fixTargets)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(fixTargets);

        // The operator is drawn from the slot's stream, like the edit, so lockstep runs are reproducible.
        for (var i = 0; i < Draws; i++)
        {
            var op = _operators.Pick(random);
            if (op.NeedsSecondParent && !hasSecondParent)
            {
                continue;
            }

            if (op.Name != FixOperator)
            {
                Interlocked.Increment(ref _proposals);
                return new OperatorChoice(op, null);
            }

            if (fixTargets.Count > 0 && TryTakeFixShare())
            {
                return new OperatorChoice(op, fixTargets[0]);
            }
        }

        var fallback = _operators.Operators.FirstOrDefault(o => o.Name != FixOperator && (!o.NeedsSecondParent || hasSecondParent));
        if (fallback is null)
        {
            return null;
        }

        Interlocked.Increment(ref _proposals);
        return new OperatorChoice(fallback, null);
    }

    /// <summary>Counts a fix when one more keeps fixes within the cap of all proposals (this one included).</summary>
    private bool TryTakeFixShare()
    {
        while (true)
        {
            var proposals = Interlocked.Read(ref _proposals);
            var fixes = Interlocked.Read(ref _fixes);
            if (fixes + 1 > _fixShareCap * (proposals + 1))
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _fixes, fixes + 1, fixes) == fixes)
            {
                Interlocked.Increment(ref _proposals);
                return true;
            }
        }
    }
}
