using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Api.Validation;

/// <summary>
/// What <see cref="RunSettingsValidator"/> cannot see without the store: a <c>seedRunId</c> must name a run of the
/// same problem with at least one correct program to seed from.
/// </summary>
internal static class SeedRunCheck
{
    public static async Task RefuseAsync(EvoCodeDbContext db, RunSettings settings, Problem problem, string field, FieldErrors errors, CancellationToken cancellationToken)
    {
        if (settings.SeedRunId is not { } seedRun)
        {
            return;
        }

        var run = await db.Runs.AsNoTracking().Where(r => r.Id == seedRun).Select(r => new { r.ProblemId }).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            errors.Add(field, "No run with this id.");
        }
        else if (run.ProblemId != problem.Id)
        {
            errors.Add(field, "The run is of another problem; a run is seeded only from a run of its own problem.");
        }
        else if (!await db.Candidates.AnyAsync(c => c.RunId == seedRun && c.Correct == true, cancellationToken))
        {
            errors.Add(field, "The run has no correct program to seed from.");
        }
    }
}
