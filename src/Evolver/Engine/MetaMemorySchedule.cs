using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Meta-memory scheduling: every <c>metaSummaryInterval</c> evaluations the run's notes are rewritten from the
/// recent programs. The call goes through the run's ledger like every other model call; the notes are stored
/// with the next commit.
/// </summary>
internal sealed class MetaMemorySchedule(RunState state, IDbContextFactory<EvoCodeDbContext> contexts)
{
    private long _nextSummaryAt = state.Settings.MetaSummaryInterval is { } interval ? Schedule.NextMultiple(state.Run.Evaluations, interval) : long.MaxValue;

    public async Task MaybeSummarizeAsync(CancellationToken cancellationToken)
    {
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            if (state.Operators.Summarize is null || state.Run.Evaluations < _nextSummaryAt)
            {
                return;
            }

            _nextSummaryAt = Schedule.NextMultiple(state.Run.Evaluations, state.Settings.MetaSummaryInterval ?? int.MaxValue);
        }
        finally
        {
            state.Lock.Release();
        }

        var runId = state.RunId;
        List<RecentProgram> recent;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            recent = await db.Candidates.AsNoTracking()
                .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated && c.Operator != IslandMigration.MigrationOperator)
                .OrderByDescending(c => c.Sequence)
                .Take(20)
                .Select(c => new RecentProgram(
                    c.Operator,
                    c.Model,
                    c.Score,
                    db.Candidates.Where(p => p.Id == c.ParentId).Select(p => p.Score).FirstOrDefault(),
                    c.Error,
                    c.ChangeNote))
                .ToListAsync(cancellationToken);
        }

        var summary = await state.Operators.Summarize(state.Run.MetaSummary, recent, cancellationToken);
        if (summary is not null)
        {
            await state.Lock.WaitAsync(cancellationToken);
            try
            {
                state.Run.MetaSummary = summary;
            }
            finally
            {
                state.Lock.Release();
            }
        }
    }
}
