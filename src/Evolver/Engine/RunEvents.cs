using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Persistence;

namespace EvoCode.Evolver.Engine;

/// <summary>The event writer: adds a run's stream events to the unit of work that commits what they report.</summary>
internal static class RunEvents
{
    public static void Add(EvoCodeDbContext db, Guid runId, DateTimeOffset now, params IEnumerable<(string Kind, object Data)> events)
    {
        foreach (var (kind, data) in events)
        {
            db.RunEvents.Add(new RunEvent { RunId = runId, Kind = kind, Data = JsonSerializer.Serialize(data, JsonColumns.Options), CreatedAt = now });
        }
    }
}
