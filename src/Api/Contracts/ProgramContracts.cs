using System.Linq.Expressions;
using System.Text.Json.Serialization;
using EvoCode.Evolver.Domain;

namespace EvoCode.Api.Contracts;

internal record ProgramSummary(
    Guid Id,
    Guid RunId,
    long Sequence,
    int Island,
    int Generation,
    string Operator,
    string? Model,
    CandidateState State,
    string? Outcome,
    bool? Correct,
    double? Score,
    string? CellKey,
    bool BecameElite,
    Guid? ParentId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EvaluatedAt,
    string? ChangeNote)
{
    /// <summary>The columns of a summary, so list queries never load code, prompts or replies.</summary>
    public static readonly Expression<Func<Candidate, ProgramSummary>> Projection = c => new ProgramSummary(
        c.Id, c.RunId, c.Sequence, c.Island, c.Generation, c.Operator, c.Model, c.State, c.Outcome, c.Correct, c.Score, c.CellKey,
        c.BecameElite, c.ParentId, c.CreatedAt, c.EvaluatedAt, c.ChangeNote);

    private static readonly Func<Candidate, ProgramSummary> s_fromCandidate = Projection.Compile();

    public static ProgramSummary From(Candidate c) => s_fromCandidate(c);
}

/// <summary>One program with everything about it; <see cref="Diff"/> is a unified diff against its first parent; <see cref="Language"/> is its problem's.</summary>
internal sealed record ProgramDetail(
    [property: JsonIgnore] ProgramSummary Summary,
    string Source,
    string Language,
    IReadOnlyList<Guid> ParentIds,
    string? Diff,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> Features,
    IReadOnlyList<StoredArtifact> Artifacts,
    string? Prompt,
    string? Reply,
    int? InputTokens,
    int? OutputTokens,
    decimal? Cost,
    string? Error,
    CandidateTimings Timings,
    IReadOnlyList<ProgramSummary> Children,
    IReadOnlyList<ConversationTurn> Conversation)
    : ProgramSummary(Summary);

/// <summary>
/// One model call attempt of the conversation that made a program, oldest first: what the turn sent (the prompt on
/// the first turn, the feedback later), the whole reply (refused replies included), and what became of its edit.
/// </summary>
internal sealed record ConversationTurn(
    long CallId, string Model, string? Operator, int Attempt, string Outcome, string? EditOutcome, string? Prompt, string? Reply, string? Error,
    int? InputTokens, int? OutputTokens, decimal? Cost, bool Estimated, double LatencyMs, DateTimeOffset StartedAt);

/// <summary>A program in a page of programs: its summary, and its code when the page was asked with <c>include=source</c>.</summary>
internal sealed record ProgramListItem(
    [property: JsonIgnore] ProgramSummary Summary,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source)
    : ProgramSummary(Summary);

/// <summary>A program to score with a problem's evaluator; <see cref="Seed"/> is the evaluation's random seed (default 0).</summary>
internal sealed record EvaluateProgramRequest(string? Source, int? Seed);

/// <summary>What the evaluator said about one program, as a run would store it.</summary>
internal sealed record EvaluationView(
    bool Correct,
    double? Score,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double> Features,
    IReadOnlyList<EvoCode.Evaluators.Contract.Artifact> Artifacts,
    string? Error,
    string Outcome,
    string? Stage,
    double RunTimeMs);
