using System.Globalization;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Constant tuning, the operator <c>tune</c>: it lifts the real-valued literals of an elite's evolve blocks into a
/// vector (at most <c>tuningMaxConstants</c>, a random subset when there are more), fits them by Nelder–Mead on
/// real sandbox evaluations of the problem's evaluator (at most <c>tuningEvaluations</c> per tuning, each taking
/// an evaluation of the run's budget and counted in <c>evaluations</c> and <c>statistics.tuningEvaluations</c>),
/// and offers the best tuned program as its child when it beat the parent. The child is then screened, stored
/// and evaluated like any other, with the slot its proposal holds. A model writes the structure; this fits the
/// constants. Trials are evaluated with one fixed evaluation seed, and the parent's stored score stands for its
/// own point, so tuning assumes a score that does not depend on the seed (the child's own evaluation decides).
/// </summary>
internal sealed class ConstantTuning(RunState state, BudgetGuard budget, EvaluationStage evaluation, IDbContextFactory<EvoCodeDbContext> contexts) : IMutationOperator
{
    public const string OperatorName = "tune";

    public string Name => OperatorName;

    /// <summary>The run's operators with tuning drawn for <c>tuningShare</c> of the proposals (none when 0).</summary>
    public static RunOperators Include(RunOperators operators, RunState state, BudgetGuard budget, EvaluationStage evaluation, IDbContextFactory<EvoCodeDbContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(operators);
        ArgumentNullException.ThrowIfNull(state);
        return state.Settings.TuningShare > 0
            ? operators.With(new ConstantTuning(state, budget, evaluation, contexts), state.Settings.TuningShare)
            : operators;
    }

    public async Task<Proposal> ProposeAsync(MutationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parent = request.Parent;
        if (parent.Score is not { } parentScore)
        {
            return Proposal.Failed(Name, "The parent has no score for tuning to improve on.");
        }

        var constants = TunableConstants.Lift(parent.Source, state.Language);
        if (constants.Count == 0)
        {
            return Proposal.Failed(Name, "No real-valued literal in the evolve blocks to tune.");
        }

        var chosen = Choose(constants.Count, state.Settings.TuningMaxConstants, request.Random);
        var start = chosen.Select(i => constants.Values[i]).ToArray();

        // A tenth of each value (a twentieth for 0) spans the first simplex, like the literal nudge's step.
        var steps = start.Select(v => v == 0 ? 0.05 : Math.Abs(v) * 0.1).ToArray();
        string? bestSource = null;
        var bestScore = parentScore;
        var trialMs = 0.0;
        var result = await NelderMead.MinimizeAsync(
            async (point, ct) =>
            {
                if (point.Any(v => !double.IsFinite(v)))
                {
                    return double.NaN;
                }

                var source = constants.Write(chosen, point);
                var (trialScore, evaluateMs) = await TrialAsync(source, ct);
                trialMs += evaluateMs;
                if (trialScore is not { } score)
                {
                    return null;
                }

                if (score > bestScore)
                {
                    (bestScore, bestSource) = (score, source);
                }

                return -score;
            },
            start,
            -parentScore,
            steps,
            state.Settings.TuningEvaluations,
            cancellationToken);

        var proposal = bestSource is null
            ? Proposal.Failed(Name, string.Create(CultureInfo.InvariantCulture, $"Tuning {chosen.Length} constants over {result.Evaluations} evaluations found nothing above the parent's score {parentScore}."))
            : new Proposal { Operator = Name, Source = bestSource };
        return proposal with { EvaluatedMs = trialMs };
    }

    /// <summary>The indices to tune: all of them, or a random subset of <paramref name="max"/> in source order.</summary>
    private static int[] Choose(int count, int max, Random random)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        if (count <= max)
        {
            return indices;
        }

        random.Shuffle(indices);
        return [.. indices.Take(max).Order()];
    }

    /// <summary>
    /// One trial: takes an evaluation of the budget, evaluates <paramref name="source"/> in the sandbox and counts
    /// it on the run. The score, NaN for an incorrect program, or <c>null</c> when the budget has none left; and the
    /// evaluation's time, which the run counts as compile, run and score.
    /// </summary>
    private async Task<(double? Score, double EvaluateMs)> TrialAsync(string source, CancellationToken cancellationToken)
    {
        if (budget.FinishReason is not null || budget.SpendingReason() is not null || !budget.TryTakeExtraSlot())
        {
            return (null, 0);
        }

        var trial = new Candidate { Id = Guid.NewGuid(), RunId = state.RunId, Operator = Name, Source = source, CodeHash = "", Sequence = 0 };
        // A trial is part of its operator's proposal; its own clock only splits it into queue, compile, run and score.
        var evaluated = await evaluation.EvaluateAsync(trial, SlotClock.StartNow(state.Time), cancellationToken);
        await CountAsync(evaluated, cancellationToken);
        return (evaluated.Result.Correct ? evaluated.Result.Score : double.NaN, evaluated.Timings.EvaluateMs);
    }

    /// <summary>Counts a trial's evaluation on the run row (evaluations, outcomes, its time split, compiles) and stores it at once, fenced.</summary>
    private async Task CountAsync(Evaluation evaluated, CancellationToken cancellationToken)
    {
        await state.Lock.WaitAsync(cancellationToken);
        state.Checkpoint();
        try
        {
            var run = state.Run;
            var stats = run.Statistics;
            var (result, timings, compiles) = evaluated;
            run.Evaluations++;
            stats.TuningEvaluations++;
            stats.Count(stats.Outcomes, result.Outcome == RunOutcome.Ok && !result.Correct ? "Incorrect" : result.Outcome.ToString());
            stats.CountEvaluation(timings, compiles);
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            state.AttachCounters(db);
            await state.Fence.SaveAsync(db, "tuning trial count", cancellationToken);
        }
        catch
        {
            // The count did not land: memory must keep matching the store.
            state.Rollback();
            throw;
        }
        finally
        {
            state.Lock.Release();
        }
    }
}
