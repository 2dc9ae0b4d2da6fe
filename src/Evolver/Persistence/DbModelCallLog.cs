using System.Text.Json;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace EvoCode.Evolver.Persistence;

/// <summary>Stores every model call attempt of a run, failed ones included, with unknown usage kept as null.</summary>
public sealed class DbModelCallLog(IDbContextFactory<EvoCodeDbContext> contexts) : IModelCallLog
{
    public async Task RecordAsync(ModelCallRecord record, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(record);
        EvoCodeTelemetry.RecordModelCall(record.Model, record.InputTokens, record.OutputTokens, record.Cost);
        if (record.RunId == Guid.Empty)
        {
            // A call outside any run (a connectivity check) has no row to belong to.
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(CancellationToken.None);

        // Every attempt is on the run's stream too, with what it cost, so a person watching sees money being spent.
        db.RunEvents.Add(new RunEvent
        {
            RunId = record.RunId,
            Kind = RunEventKinds.ModelCall,
            Data = JsonSerializer.Serialize(
                new { model = record.Model, op = record.Operator, outcome = record.Outcome, attempt = record.Attempt, inputTokens = record.InputTokens, outputTokens = record.OutputTokens, cost = record.Cost, estimated = record.UsageEstimated, latencyMs = record.Latency.TotalMilliseconds },
                JsonColumns.Options),
            CreatedAt = record.StartedAt + record.Latency,
        });
        db.ModelCalls.Add(new ModelCall
        {
            RunId = record.RunId,
            Model = record.Model,
            Provider = record.Provider,
            Operator = record.Operator,
            InputTokens = record.InputTokens,
            OutputTokens = record.OutputTokens,
            Cost = record.Cost,
            LatencyMs = record.Latency.TotalMilliseconds,
            Outcome = record.Outcome,
            Error = record.Error is { Length: > 4000 } e ? e[..4000] : record.Error,
            Attempt = record.Attempt,
            EditOutcome = record.EditOutcome is { Length: > 2000 } o ? o[..2000] : record.EditOutcome,
            UsageEstimated = record.UsageEstimated,
            ProposalId = record.ProposalId,
            Prompt = record.Prompt,
            Reply = record.Reply,
            StartedAt = record.StartedAt,
        });

        // The call happened and was paid for, even if the proposal it served is being cancelled: always store it.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
