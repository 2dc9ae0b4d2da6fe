using System.Collections.Concurrent;
using EvoCode.Evolver.Persistence;
using EvoCode.Evolver.Search;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Novelty by meaning, a check of the proposal screen: a proposal whose code embedding (<see cref="CodeEmbedder"/>)
/// has a cosine similarity of at least <c>semanticSimilarityThreshold</c> to an elite of its parent's island is
/// rejected as <c>similar-meaning</c> (every island's elites when the parent is no elite, as for a fix). The
/// token-trigram near-duplicate check sees copies; this one sees the same idea written differently. Elites'
/// embeddings are read from the store, or computed from their code when they have none (the seed, older runs),
/// and kept for the elites of the moment.
/// </summary>
internal sealed class SemanticNovelty(RunState state, IDbContextFactory<EvoCodeDbContext> contexts, double threshold)
{
    /// <summary>The screen's rejection reason.</summary>
    public const string Rejection = "similar-meaning";

    private readonly ConcurrentDictionary<Guid, float[]> _elites = new();

    /// <summary>The check for the run, or <c>null</c> when its settings turn it off.</summary>
    public static SemanticNovelty? For(RunState state, IDbContextFactory<EvoCodeDbContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Settings.SemanticSimilarityThreshold is { } threshold ? new SemanticNovelty(state, contexts, threshold) : null;
    }

    /// <summary>Why the proposal is not new enough (null when it is), and its embedding to store with it.</summary>
    public async Task<(string? Rejection, float[] Embedding)> ScreenAsync(string source, Guid parentId, CancellationToken cancellationToken)
    {
        // Inference is CPU work: keep it off the caller's thread.
        var embedding = await Task.Run(() => CodeEmbedder.Shared.Embed(source, state.Language), cancellationToken);
        List<Guid> elites;
        await state.Lock.WaitAsync(cancellationToken);
        try
        {
            var own = state.Islands.Where(i => i.Contains(parentId)).ToList();
            elites = [.. (own.Count > 0 ? own : [.. state.Islands]).SelectMany(i => i.Elites).Select(e => e.Id)];

            // The parent too: it may come from the island's population rather than its elites (issue 22), and a
            // child that means what its parent means is never worth an evaluation.
            if (!elites.Contains(parentId))
            {
                elites.Add(parentId);
            }
        }
        finally
        {
            state.Lock.Release();
        }

        await LoadAsync(elites, cancellationToken);
        var closest = elites.Count == 0 ? 0 : elites.Max(id => CodeEmbedder.Similarity(embedding, _elites[id]));
        return (closest >= threshold ? Rejection : null, embedding);
    }

    private async Task LoadAsync(List<Guid> elites, CancellationToken cancellationToken)
    {
        var missing = elites.Where(id => !_elites.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var rows = await db.Candidates.AsNoTracking().Where(c => missing.Contains(c.Id)).Select(c => new { c.Id, c.Embedding, c.Source }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                _elites[row.Id] = row.Embedding is { } stored ? CodeEmbedder.FromBytes(stored) : await Task.Run(() => CodeEmbedder.Shared.Embed(row.Source, state.Language), cancellationToken);
            }
        }

        // Programs that lost their cell are not compared any more.
        if (_elites.Count > 2 * elites.Count)
        {
            var current = elites.ToHashSet();
            foreach (var id in _elites.Keys.Where(id => !current.Contains(id)))
            {
                _elites.TryRemove(id, out _);
            }
        }
    }
}
