using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace EvoCode.Evolver.Engine;

/// <summary>
/// Who drives which run, over the lease columns of the run rows (ADR-021). A claim is one conditional update that
/// also adds one to the run's owner epoch, the fencing token every write of the loop carries; the lease only says
/// when a silent owner may be replaced. Instances announce themselves in <c>engine_instances</c>, so claims share
/// runs fairly: nobody takes more than its share while another live instance is idle. A cluster that grants
/// ownership another way (grains) replaces this part and keeps the epoch.
/// </summary>
public sealed class RunClaims(IDbContextFactory<EvoCodeDbContext> contexts, TimeProvider time, IOptions<EngineOptions> options)
{
    private string Me => options.Value.InstanceId;

    /// <summary>Says this instance is alive and what it may take; called once per poll.</summary>
    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var me = Me;
        var now = time.GetUtcNow();
        var cap = options.Value.MaxActiveRuns;
        if (await db.EngineInstances.Where(i => i.Id == me).ExecuteUpdateAsync(s => s.SetProperty(i => i.SeenAt, now).SetProperty(i => i.MaxActiveRuns, cap), cancellationToken) == 0)
        {
            db.EngineInstances.Add(new EngineInstance { Id = me, SeenAt = now, MaxActiveRuns = cap });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // A process of the same name announced it first; the next poll updates the row.
            }
        }
    }

    /// <summary>Extends the lease of a run this loop holds; <c>false</c> when the run is not ours any more (another claim, a pause, its end).</summary>
    public async Task<bool> RenewAsync(Guid runId, long epoch, CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + options.Value.LeaseDuration;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Runs.Where(r => r.Id == runId && r.OwnerEpoch == epoch && r.Status == RunStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, until), cancellationToken) == 1;
    }

    /// <summary>
    /// Claims runs that nobody drives (pending, handed back, or with an expired lease), oldest first, up to this
    /// instance's share and cap. Returns each claimed run with the epoch the claim granted.
    /// </summary>
    public async Task<IReadOnlyList<(Guid RunId, long Epoch)>> ClaimAsync(IReadOnlyCollection<Guid> active, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var me = Me;
        var lease = options.Value.LeaseDuration;
        var until = now + lease;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var claimable = await db.Runs.AsNoTracking()
            .Where(r => r.Status == RunStatus.Pending
                || (r.Status == RunStatus.Running && (r.Owner == null || r.Owner == me || r.LeaseExpiresAt < now)))
            .OrderBy(r => r.CreatedAt)
            .Select(r => r.Id)
            .ToListAsync(cancellationToken);
        claimable.RemoveAll(active.Contains);
        if (claimable.Count == 0)
        {
            return [];
        }

        // Fair share: the runs to drive (held by others with a live lease, ours, and the claimable) over the live instances.
        var seenSince = now - lease;
        var live = Math.Max(1, await db.EngineInstances.CountAsync(i => i.SeenAt >= seenSince || i.Id == me, cancellationToken));
        var heldElsewhere = await db.Runs.CountAsync(r => r.Status == RunStatus.Running && r.Owner != null && r.Owner != me && r.LeaseExpiresAt >= now, cancellationToken);
        var share = (int)Math.Ceiling((heldElsewhere + active.Count + claimable.Count) / (double)live);
        var room = Math.Min(share, options.Value.MaxActiveRuns) - active.Count;

        var claimed = new List<(Guid, long)>();
        foreach (var id in claimable)
        {
            if (claimed.Count >= room)
            {
                break;
            }

            // The conditional update is the claim: of several instances racing, exactly one changes the row, and the
            // epoch it adds fences out every earlier owner.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var changed = await db.Runs
                .Where(r => r.Id == id && (r.Status == RunStatus.Pending
                    || (r.Status == RunStatus.Running && (r.Owner == null || r.Owner == me || r.LeaseExpiresAt < now))))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Status, RunStatus.Running)
                        .SetProperty(r => r.Owner, me)
                        .SetProperty(r => r.LeaseExpiresAt, until)
                        .SetProperty(r => r.OwnerEpoch, r => r.OwnerEpoch + 1),
                    cancellationToken);
            if (changed != 1)
            {
                continue;
            }

            var epoch = await db.Runs.Where(r => r.Id == id).Select(r => r.OwnerEpoch).SingleAsync(cancellationToken);
            await RunStarted.RecordAsync(db, id, me, epoch, time, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            claimed.Add((id, epoch));
        }

        return claimed;
    }

    /// <summary>
    /// A clean shutdown: hands the runs back (no owner, no lease) so another instance claims them at its next poll
    /// instead of after the lease, and leaves the instance list.
    /// </summary>
    public async Task ReleaseAsync(IReadOnlyCollection<(Guid RunId, long Epoch)> runs, CancellationToken cancellationToken)
    {
        var me = Me;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var (runId, epoch) in runs)
        {
            await db.Runs.Where(r => r.Id == runId && r.OwnerEpoch == epoch && r.Owner == me && r.Status == RunStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Owner, (string?)null).SetProperty(r => r.LeaseExpiresAt, (DateTimeOffset?)null), cancellationToken);
        }

        await db.EngineInstances.Where(i => i.Id == me).ExecuteDeleteAsync(cancellationToken);
    }
}
