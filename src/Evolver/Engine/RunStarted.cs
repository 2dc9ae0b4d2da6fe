using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;

namespace EvoCode.Evolver.Engine;

/// <summary>The <c>Running</c> status event, stored with the claim (its start, a resume, a restart, a takeover).</summary>
internal static class RunStarted
{
    public static async Task RecordAsync(EvoCodeDbContext db, Guid runId, string owner, long epoch, TimeProvider time, CancellationToken cancellationToken)
    {
        db.RunEvents.Add(new RunEvent
        {
            RunId = runId,
            Kind = RunEventKinds.Status,
            Data = JsonSerializer.Serialize(new { status = nameof(RunStatus.Running), reason = "Claimed by the engine.", owner, ownerEpoch = epoch }, JsonColumns.Options),
            CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }
}
