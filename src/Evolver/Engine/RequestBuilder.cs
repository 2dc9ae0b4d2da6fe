using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>A mutation request and the failed programs a fix may target (newest first).</summary>
internal sealed record PreparedRequest(MutationRequest Request, IReadOnlyList<ParentProgram> FixTargets);

/// <summary>
/// Builds an operator's request from the selected parents: the programs as the model sees them (visible
/// metrics, bounded feedback), the recent failures, and the failures a fix may target. Reads projections of
/// the rows it needs, never whole rows.
/// </summary>
internal sealed class RequestBuilder(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, EngineOptions options, ICodeCheck? screen)
{
    /// <summary>Evaluated programs, newest first, among which a failure counts as recent.</summary>
    public const int RecentWindow = 20;

    private sealed record ProgramView(Guid Id, string Source, double? Score, Dictionary<string, double> Metrics, List<StoredArtifact> Artifacts, string? Error, string Operator, Guid? ParentId);

    public async Task<PreparedRequest> BuildAsync(SelectedParents selected, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        var ids = new List<Guid> { selected.Parent.Id };
        if (selected.Second is not null)
        {
            ids.Add(selected.Second.Id);
        }

        ids.AddRange(selected.Inspirations.Select(e => e.Id));
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var programs = await db.Candidates.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new ProgramView(c.Id, c.Source, c.Score, c.Metrics, c.Artifacts, c.Error, c.Operator, c.ParentId))
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var recentFailures = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated)
            .OrderByDescending(c => c.Sequence)
            .Take(RecentWindow)
            .Where(c => c.Correct == false)
            .Select(c => new ProgramView(c.Id, c.Source, c.Score, c.Metrics, c.Artifacts, c.Error, c.Operator, c.ParentId))
            .ToListAsync(cancellationToken);
        var failureIds = recentFailures.Select(f => f.Id).ToList();
        var alreadyFixed = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.Operator == OperatorPolicy.FixOperator && c.ParentId != null && failureIds.Contains(c.ParentId.Value))
            .Select(c => c.ParentId!.Value)
            .ToListAsync(cancellationToken);
        var fixTargets = new List<ParentProgram>();
        foreach (var failure in recentFailures.Where(f => !alreadyFixed.Contains(f.Id)))
        {
            if (await FixDepthAsync(db, failure, cancellationToken) < state.Settings.FixDepthLimit)
            {
                fixTargets.Add(ToParent(failure));
            }
        }

        var request = new MutationRequest
        {
            TaskDescription = state.Problem.Description,
            Parent = ToParent(programs[selected.Parent.Id]),
            SecondParent = selected.Second is null ? null : ToParent(programs[selected.Second.Id]),
            Inspirations = [.. selected.Inspirations.Where(e => programs.ContainsKey(e.Id)).Select(e => ToParent(programs[e.Id]))],
            RecentFailures = [.. recentFailures.Take(3).Select(ToParent)],
            MetaSummary = state.Run.MetaSummary,
            EntryPoint = state.Evaluator.Descriptor.EntryPoint,
            Language = state.Language,
            Screen = screen,
            Random = selected.Random,
            RunId = runId,
            Generation = selected.Parent.Generation + 1,
        };
        return new PreparedRequest(request, fixTargets);
    }

    /// <summary>How many fixes in a row made this program (0 when it was not made by a fix), counted up to the limit.</summary>
    private async Task<int> FixDepthAsync(EvoCodeDbContext db, ProgramView program, CancellationToken cancellationToken)
    {
        var depth = 0;
        var op = program.Operator;
        var parent = program.ParentId;
        while (op == OperatorPolicy.FixOperator && depth < state.Settings.FixDepthLimit)
        {
            depth++;
            if (parent is not { } parentId)
            {
                break;
            }

            var up = await db.Candidates.AsNoTracking().Where(c => c.Id == parentId).Select(c => new { c.Operator, c.ParentId }).SingleOrDefaultAsync(cancellationToken);
            (op, parent) = (up?.Operator ?? "", up?.ParentId);
        }

        return depth;
    }

    private ParentProgram ToParent(ProgramView c)
    {
        var feedback = string.Join("\n\n", c.Artifacts.Where(a => a.ForModel).Select(a => $"[{a.Name}]\n{a.Content}"));
        if (feedback.Length > options.MaxFeedbackLength)
        {
            feedback = feedback[..options.MaxFeedbackLength] + "\n[... truncated]";
        }

        return new ParentProgram(
            c.Id,
            c.Source,
            c.Score,
            c.Metrics.Where(m => state.VisibleMetrics.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value),
            feedback.Length == 0 ? null : feedback,
            c.Error);
    }
}
