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
        app.MapProgramMapEndpoints();
        app.MapRunFrontEndpoints();
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

        // Learned bounds are the engine's fit around the evaluated seed: show the bounds the cells were made with.
        if (run.Settings.FeatureBounds == "learned" && dimensions.Count > 0
            && await db.Candidates.AsNoTracking().Where(c => c.RunId == id && c.Sequence == 1 && c.Correct == true).Select(c => c.Features).SingleOrDefaultAsync(cancellationToken) is { } seed)
        {
            dimensions = new FeatureGrid(dimensions).FitTo(seed).Dimensions;
        }
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

    /// <summary>
    /// The tree as parallel arrays in sequence order. With <c>view=ancestry</c> only the ancestry of the archive's
    /// elites and of the best program (what the dashboard draws by default): a few hundred nodes of a 100,000-program
    /// run instead of megabytes, with each node's number of children in the whole tree.
    /// </summary>
    public static async Task<Results<Ok<LineageView>, ProblemHttpResult, ValidationProblem>> GetLineage(
        Guid id, [FromQuery(Name = "view")] string? view, [AsParameters] ApiServices services, CancellationToken cancellationToken)
    {
        if (view is not (null or "ancestry"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["view"] = ["Must be ancestry (or absent for the whole tree)."] });
        }

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

        if (view is null)
        {
            return TypedResults.Ok(new LineageView(
                rows.Count,
                [.. rows.Select(r => r.Id)],
                parents,
                [.. rows.Select(r => r.Score)],
                [.. rows.Select(r => r.Island)],
                [.. rows.Select(r => r.Operator)],
                [.. rows.Select(r => r.Correct)],
                path,
                null));
        }

        // Ancestors are closed under "parent", so each walk stops at the first node already kept.
        var kept = new bool[rows.Count];
        var elites = await db.ArchiveCells.AsNoTracking().Where(c => c.RunId == id).Select(c => c.EliteId).ToListAsync(cancellationToken);
        foreach (var start in elites.Select(e => index.TryGetValue(e, out var at) ? at : -1).Concat(path).Append(rows.Count > 0 && path.Count == 0 ? 0 : -1))
        {
            for (var j = start; j >= 0 && !kept[j]; j = parents[j])
            {
                kept[j] = true;
            }
        }

        var childCounts = new int[rows.Count];
        foreach (var p in parents.Where(p => p >= 0))
        {
            childCounts[p]++;
        }

        var subset = Enumerable.Range(0, rows.Count).Where(i => kept[i]).ToList();
        var position = new Dictionary<int, int>(subset.Count);
        for (var k = 0; k < subset.Count; k++)
        {
            position[subset[k]] = k;
        }

        return TypedResults.Ok(new LineageView(
            rows.Count,
            [.. subset.Select(i => rows[i].Id)],
            [.. subset.Select(i => parents[i] >= 0 ? position[parents[i]] : -1)],
            [.. subset.Select(i => rows[i].Score)],
            [.. subset.Select(i => rows[i].Island)],
            [.. subset.Select(i => rows[i].Operator)],
            [.. subset.Select(i => rows[i].Correct)],
            [.. path.Select(i => position[i])],
            [.. subset.Select(i => childCounts[i])]));
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
                if (evaluated[i].Correct && evaluated[i].Score is { } score && (best is null || score > best))
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
            TimeView.Of(run),
            new TokenView(run.InputTokens, run.OutputTokens),
            run.Cost,
            new CompileView(stats.Compiles, run.Evaluations == 0 ? null : (double)stats.Compiles / run.Evaluations)));
    }

    private static int[] Bins(string cellKey) =>
        [.. cellKey.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(b => int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : -1)];
}
