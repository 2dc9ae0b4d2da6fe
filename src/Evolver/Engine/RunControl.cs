using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Engine;

/// <summary>What a user can do to a run: start, pause, resume, cancel. Each change is one conditional update.</summary>
public sealed class RunControl(IDbContextFactory<EvoCodeDbContext> contexts, EvolutionEngine engine, RunEventHub hub, TimeProvider time)
{
    /// <summary>Creates a pending run of a problem; the engine claims it at once.</summary>
    public async Task<Run> StartAsync(Guid problemId, RunSettings settings, string? name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = new Run
        {
            Id = Guid.NewGuid(),
            ProblemId = problemId,
            Name = name,
            Settings = settings,
            Status = RunStatus.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        db.Runs.Add(run);
        AddStatusEvent(db, run.Id, RunStatus.Pending, "Created.");
        await db.SaveChangesAsync(cancellationToken);
        engine.Wake();
        return run;
    }

    /// <summary>Stops proposing; in-flight programs stay pending and are evaluated on resume.</summary>
    public Task<bool> PauseAsync(Guid runId, CancellationToken cancellationToken) =>
        ChangeAsync(runId, [RunStatus.Pending, RunStatus.Running], RunStatus.Paused, "Paused by a user.", finished: false, cancellationToken);

    public async Task<bool> ResumeAsync(Guid runId, CancellationToken cancellationToken)
    {
        var changed = await ChangeAsync(runId, [RunStatus.Paused], RunStatus.Pending, "Resumed by a user.", finished: false, cancellationToken);
        if (changed)
        {
            engine.Wake();
        }

        return changed;
    }

    /// <summary>Gives a finished (completed or cancelled) run new settings and hands it back to the engine, which resumes it.</summary>
    public async Task<bool> ExtendAsync(Guid runId, RunSettings settings, CancellationToken cancellationToken)
    {
        const string reason = "Extended by a user.";
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // One conditional update, so a second extend or a delete that came first leaves nothing to change.
            var changed = await db.Runs
                .Where(r => r.Id == runId && (r.Status == RunStatus.Completed || r.Status == RunStatus.Cancelled))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Settings, settings)
                        .SetProperty(r => r.Status, RunStatus.Pending)
                        .SetProperty(r => r.StatusReason, reason)
                        .SetProperty(r => r.FinishedAt, (DateTimeOffset?)null),
                    cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            AddStatusEvent(db, runId, RunStatus.Pending, reason);
            await db.SaveChangesAsync(cancellationToken);
        }

        engine.Wake();
        hub.Notify(runId);
        return true;
    }

    public Task<bool> CancelAsync(Guid runId, CancellationToken cancellationToken) =>
        ChangeAsync(runId, [RunStatus.Pending, RunStatus.Running, RunStatus.Paused], RunStatus.Cancelled, "Cancelled by a user.", finished: true, cancellationToken);

    private async Task<bool> ChangeAsync(Guid runId, RunStatus[] from, RunStatus to, string reason, bool finished, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            var changed = await db.Runs
                .Where(r => r.Id == runId && from.Contains(r.Status))
                .ExecuteUpdateAsync(
                    s => s.SetProperty(r => r.Status, to)
                        .SetProperty(r => r.StatusReason, reason)
                        .SetProperty(r => r.FinishedAt, r => finished ? now : r.FinishedAt),
                    cancellationToken);
            if (changed == 0)
            {
                return false;
            }

            AddStatusEvent(db, runId, to, reason);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (to is RunStatus.Paused or RunStatus.Cancelled)
        {
            await engine.StopAsync(runId);
        }

        hub.Notify(runId);
        return true;
    }

    private void AddStatusEvent(EvoCodeDbContext db, Guid runId, RunStatus status, string reason) =>
        db.RunEvents.Add(new RunEvent
        {
            RunId = runId,
            Kind = RunEventKinds.Status,
            Data = JsonSerializer.Serialize(new { status = status.ToString(), reason }, JsonColumns.Options),
            CreatedAt = time.GetUtcNow(),
        });
}
