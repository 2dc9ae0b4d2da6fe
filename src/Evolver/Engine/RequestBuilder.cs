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
/// metrics, bounded feedback, change notes), the history of attempts around the parent, the inspirations (topped
/// up with the run's best while the archive is young), the run's top programs, the recent failures by cause, and
/// the failures a fix may target. Reads projections of the rows it needs, never whole rows. A run without models
/// reads only its parents: the built-in operators use nothing else, and this runs once per proposal slot.
/// </summary>
internal sealed class RequestBuilder(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, EngineOptions options, ICodeCheck? screen)
{
    /// <summary>Evaluated programs, newest first, among which a failure counts as recent.</summary>
    public const int RecentWindow = 20;

    /// <summary>The run's best programs read for the top programs and the inspirations' top-up.</summary>
    private const int TopWindow = 16;

    private sealed record ProgramView(Guid Id, string Source, string CodeHash, double? Score, Dictionary<string, double> Metrics, List<StoredArtifact> Artifacts, string? Error, string Operator, Guid? ParentId, string? ChangeNote);

    private sealed record Ranked(Guid Id, string CodeHash);

    public async Task<PreparedRequest> BuildAsync(SelectedParents selected, CancellationToken cancellationToken)
    {
        var runId = state.RunId;
        var forModel = state.Settings.Models is { Count: > 0 };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var top = !forModel ? [] : await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated && c.Correct == true && c.Score != null)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Sequence)
            .Take(TopWindow)
            .Select(c => new Ranked(c.Id, c.CodeHash))
            .ToListAsync(cancellationToken);
        var ids = new List<Guid> { selected.Parent.Id };
        if (selected.Second is not null)
        {
            ids.Add(selected.Second.Id);
        }

        if (forModel)
        {
            ids.AddRange(selected.Inspirations.Select(e => e.Id));
            ids.AddRange(top.Select(t => t.Id));
        }

        ids = [.. ids.Distinct()];
        var programs = await db.Candidates.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new ProgramView(c.Id, c.Source, c.CodeHash, c.Score, c.Metrics, c.Artifacts, c.Error, c.Operator, c.ParentId, c.ChangeNote))
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var recentFailures = !forModel ? [] : await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == runId && c.State == CandidateState.Evaluated)
            .OrderByDescending(c => c.Sequence)
            .Take(RecentWindow)
            .Where(c => c.Correct == false)
            .Select(c => new ProgramView(c.Id, c.Source, c.CodeHash, c.Score, c.Metrics, c.Artifacts, c.Error, c.Operator, c.ParentId, c.ChangeNote))
            .ToListAsync(cancellationToken);
        var failureIds = recentFailures.Select(f => f.Id).ToList();
        var alreadyFixed = failureIds.Count == 0 ? [] : await db.Candidates.AsNoTracking()
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

        // Inspirations from the archive, then the run's best while the island is young; top programs after them, each program once.
        var parent = programs[selected.Parent.Id];
        var hashes = new HashSet<string>(StringComparer.Ordinal) { parent.CodeHash };
        var inspirations = selected.Inspirations.Where(e => programs.ContainsKey(e.Id) && hashes.Add(programs[e.Id].CodeHash))
            .Select(e => ToParent(programs[e.Id]) with { Origin = e.Island == selected.Parent.Island ? "another cell of this island" : $"from island {e.Island}" })
            .ToList();
        foreach (var best in top.Where(t => inspirations.Count < state.Settings.Inspirations && hashes.Add(t.CodeHash)))
        {
            inspirations.Add(ToParent(programs[best.Id]) with { Origin = "one of the run's best" });
        }

        var topPrograms = top.Where(t => hashes.Add(t.CodeHash)).Take(state.Settings.TopPrograms).Select(t => ToParent(programs[t.Id])).ToList();
        var request = new MutationRequest
        {
            TaskDescription = state.Problem.Description,
            Parent = ToParent(parent),
            SecondParent = selected.Second is null ? null : ToParent(programs[selected.Second.Id]),
            Inspirations = inspirations,
            TopPrograms = topPrograms,
            History = forModel ? await AttemptHistory.ReadAsync(db, runId, selected.Parent.Id, cancellationToken) : [],
            Failures = AttemptHistory.Group(recentFailures.Select(f => (f.Error ?? Feedback(f), f.ChangeNote, f.ParentId)), selected.Parent.Id),
            Archive = selected.Archive,
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

    private ParentProgram ToParent(ProgramView c) => new(
        c.Id,
        c.Source,
        c.Score,
        c.Metrics.Where(m => state.VisibleMetrics.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value),
        Feedback(c),
        c.Error,
        c.ChangeNote);

    /// <summary>The artifacts the evaluator meant for the model, bounded; <c>null</c> when there are none.</summary>
    private string? Feedback(ProgramView c)
    {
        var feedback = string.Join("\n\n", c.Artifacts.Where(a => a.ForModel).Select(a => $"[{a.Name}]\n{a.Content}"));
        if (feedback.Length > options.MaxFeedbackLength)
        {
            feedback = feedback[..options.MaxFeedbackLength] + "\n[... truncated]";
        }

        return feedback.Length == 0 ? null : feedback;
    }
}
