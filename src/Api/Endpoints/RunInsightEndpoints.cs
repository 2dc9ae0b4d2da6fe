using System.Globalization;
using EvoCode.Api.Contracts;
using EvoCode.Api.Series;
using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Engine;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Endpoints;

/// <summary>What a run found, shaped for charts: the archive grids, the lineage tree, time series.</summary>
internal static class RunInsightEndpoints
{
    /// <summary>The newest scores a scatter chart gets, and the most steps of the best curve (which covers every evaluation).</summary>
    private const int MaxScorePoints = 2000;

    public static IEndpointRouteBuilder MapRunInsightEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Insights").WithHead().WithETag();
        api.MapGet("/{id:guid}/archive", GetArchive).WithName("GetArchive").WithSummary("Each island's MAP-Elites grid with its elites");
        api.MapGet("/{id:guid}/lineage", GetLineage).WithName("GetLineage").WithSummary("The run's whole tree as parallel arrays");
        // One cache of the runs' series for the statistics and the series endpoints: the same run is read once.
        var series = new RunSeriesCache(app.ServiceProvider.GetRequiredService<IDbContextFactory<EvoCodeDbContext>>());
        api.MapGet("/{id:guid}/statistics", (Guid id, [AsParameters] ApiServices services, CancellationToken ct) => GetStatistics(id, series, services, ct))
            .WithName("GetStatistics").WithSummary("Time series and per-operator, per-model figures");
        app.MapRunSeriesEndpoints(series);
        app.MapRunEnsembleEndpoints();
        app.MapProgramSearchEndpoints();
        app.MapProgramMapEndpoints();
        return app;
    }

    public static async Task<Results<Ok<ArchiveView>, ProblemHttpResult>> GetArchive(
        Guid id, IEvaluatorResolver evaluators, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Include(r => r.Problem).FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run?.Problem is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        IReadOnlyList<FeatureDefinition> declared;
        try
        {
            declared = evaluators.Resolve(run.Problem).Descriptor.Features;
        }
        catch (ArgumentException)
        {
            // The run failed on this evaluator; its grid is then whatever the problem and settings say.
            declared = [];
        }

        var dimensions = FeatureGrid.ChooseDimensions(run.Settings, run.Problem, declared);
        var cells = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == id).ToListAsync(cancellationToken);
        var islands = Enumerable.Range(0, Math.Max(1, Math.Max(run.Settings.Islands, cells.Count == 0 ? 0 : cells.Max(c => c.Island) + 1)))
            .Select(i => new IslandView(
                i,
                [.. cells.Where(c => c.Island == i)
                    .OrderBy(c => c.CellKey, StringComparer.Ordinal)
                    .Select(c => new CellView(c.CellKey, Bins(c.CellKey), c.EliteId, c.Score))]))
            .ToList();
        return TypedResults.Ok(new ArchiveView(dimensions, islands));
    }

    public static async Task<Results<Ok<LineageView>, ProblemHttpResult>> GetLineage(Guid id, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var best = await db.Runs.AsNoTracking().Where(r => r.Id == id).Select(r => new { r.BestCandidateId }).FirstOrDefaultAsync(cancellationToken);
        if (best is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        var rows = await db.Candidates.AsNoTracking()
            .Where(c => c.RunId == id)
            .OrderBy(c => c.Sequence)
            .Select(c => new { c.Id, c.ParentId, c.Score, c.Island, c.Operator, c.Correct })
            .ToListAsync(cancellationToken);
        var index = new Dictionary<Guid, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            index[rows[i].Id] = i;
        }

        var parents = rows.Select(r => r.ParentId is { } p && index.TryGetValue(p, out var at) ? at : -1).ToArray();
        var path = new List<int>();
        if (best.BestCandidateId is { } bestId && index.TryGetValue(bestId, out var node))
        {
            // Parents come before children in sequence order, so the walk always ends.
            for (; node >= 0 && path.Count <= rows.Count; node = parents[node])
            {
                path.Add(node);
            }

            path.Reverse();
        }

        return TypedResults.Ok(new LineageView(
            [.. rows.Select(r => r.Id)],
            parents,
            [.. rows.Select(r => r.Score)],
            [.. rows.Select(r => r.Island)],
            [.. rows.Select(r => r.Operator)],
            [.. rows.Select(r => r.Correct)],
            path));
    }

    public static async Task<Results<Ok<StatisticsView>, ProblemHttpResult>> GetStatistics(Guid id, RunSeriesCache series, ApiServices services, CancellationToken cancellationToken)
    {
        await using var db = await services.Contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null)
        {
            return NotFoundProblem.Of("run", id);
        }

        // From the series kept for the run (evaluation order, as the run counts evaluations): no scan of its programs.
        var (bestCurve, scores) = await series.ReadAsync(id, s =>
        {
            var evaluated = s.Evaluations;
            var steps = new List<BestPoint>();
            double? best = null;
            for (var i = 0; i < evaluated.Count; i++)
            {
                if (evaluated[i].Correct == true && evaluated[i].Score is { } score && (best is null || score > best))
                {
                    best = score;
                    steps.Add(new BestPoint(i + 1, score));
                }
            }

            if (best is { } last && steps[^1].Evaluation != evaluated.Count)
            {
                steps.Add(new BestPoint(evaluated.Count, last));
            }

            var kept = SeriesDownsampling.Steps(steps.Count, MaxScorePoints, k => steps[k].Evaluation);
            var recent = evaluated
                .Skip(Math.Max(0, evaluated.Count - MaxScorePoints))
                .Select(c => new ScorePoint(c.Sequence, c.Score, c.Correct, c.Operator, c.Island))
                .ToList();
            return (kept.Select(k => steps[k]).ToList(), recent);
        }, cancellationToken);
        var stats = run.Statistics;
        return TypedResults.Ok(new StatisticsView(
            bestCurve,
            scores,
            stats.Operators,
            stats.Models,
            stats.Outcomes,
            stats.Rejections,
            new TimeView(stats.ProposeMs, stats.EvaluateMs, stats.StoreMs),
            new TokenView(run.InputTokens, run.OutputTokens),
            run.Cost));
    }

    private static int[] Bins(string cellKey) =>
        [.. cellKey.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(b => int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1)];
}
