using System.Text.Json;
using System.Text.Json.Serialization;
using EvoCode.Evolver.Domain;

namespace EvoCode.Api.Contracts;

/// <summary>A new run; <see cref="Settings"/> is any subset of <see cref="RunSettings"/> and overrides the problem's defaults.</summary>
internal sealed record StartRunRequest(Guid? ProblemId, string? Name, JsonElement? Settings);

internal record RunSummary(
    Guid Id,
    string? Name,
    Guid ProblemId,
    string ProblemName,
    RunStatus Status,
    string? StatusReason,
    double? BestScore,
    Guid? BestProgramId,
    long Evaluations,
    long Proposals,
    long Rejections,
    long Improvements,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double ActiveSeconds,
    int? MaxEvaluations)
{
    public static RunSummary From(Run r, string problemName) => new(
        r.Id, r.Name, r.ProblemId, problemName, r.Status, r.StatusReason, r.BestScore, r.BestCandidateId, r.Evaluations, r.Proposals,
        r.Rejections, r.Improvements, r.InputTokens, r.OutputTokens, r.Cost, r.CreatedAt, r.StartedAt, r.FinishedAt, r.ActiveSeconds,
        r.Settings.MaxEvaluations);
}

internal sealed record RunDetail([property: JsonIgnore] RunSummary Summary, RunSettings Settings, RunStatistics Statistics, RunBudget Budget, RunOwnership Ownership)
    : RunSummary(Summary)
{
    public static RunDetail Of(Run r, string problemName) => new(
        RunSummary.From(r, problemName),
        r.Settings,
        r.Statistics,
        new RunBudget(r.Settings.MaxEvaluations, r.Settings.MaxProposals, r.Settings.MaxTokens, r.Settings.MaxCost, r.Settings.MaxWallTimeSeconds, r.Settings.TargetScore),
        new RunOwnership(r.Owner, r.LeaseExpiresAt, r.OwnerEpoch));
}

/// <summary>
/// The run's last claim: the engine instance and until when its lease holds. The run is driven only while it is
/// Running with a lease in the future; a clean shutdown clears both. The epoch grows with every claim (ADR-021).
/// </summary>
internal sealed record RunOwnership(string? Owner, DateTimeOffset? LeaseExpiresAt, long OwnerEpoch);

/// <summary>The budgets of a run; compare with the counters beside them for the budget used.</summary>
internal sealed record RunBudget(int? MaxEvaluations, int? MaxProposals, long? MaxTokens, decimal? MaxCost, double? MaxWallTimeSeconds, double? TargetScore);

/// <summary>New budgets for a finished run: any of maxEvaluations, maxProposals, maxTokens, maxCost, maxWallTimeSeconds, targetScore.</summary>
internal sealed record ExtendRunRequest(JsonElement? Budgets);
