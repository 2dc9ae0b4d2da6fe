using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using EvoCode.Evolver.Domain;
using EvoCode.Evolver.Mutation;
using EvoCode.Sandbox;

namespace EvoCode.Evolver.Telemetry;

/// <summary>
/// EvoCode's own traces and metrics, under one name (<see cref="Name"/>) for the ActivitySource and the Meter.
/// The engine calls the few Record/Start methods here; the host decides where the data goes (OTLP, /metrics).
/// Instruments cost nothing while nobody listens.
/// </summary>
/// <remarks>
/// A candidate's trace: <c>candidate</c> (on the proposal worker) with children <c>select</c>, <c>propose</c>
/// (the model call's own span nests inside), <c>screen</c>; then <c>evaluate</c> and <c>commit</c> on the
/// evaluation worker, parented to the candidate's span through <see cref="Remember"/>.
/// </remarks>
public static class EvoCodeTelemetry
{
    public const string Name = "EvoCode";

    private static readonly string? s_version = typeof(EvoCodeTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static readonly ActivitySource Source = new(Name, s_version);

    private static readonly Meter s_meter = new(Name, s_version);

    private static readonly Counter<long> s_evaluations = s_meter.CreateCounter<long>("evocode.evaluations", description: "Programs evaluated in the sandbox, by outcome.");
    private static readonly Counter<long> s_proposals = s_meter.CreateCounter<long>("evocode.proposals", description: "Proposals made, by operator and result (stored or rejected).");
    private static readonly Counter<long> s_rejections = s_meter.CreateCounter<long>("evocode.rejections", description: "Proposals screened out before evaluation, by reason.");
    private static readonly Histogram<double> s_evaluationTime = s_meter.CreateHistogram<double>("evocode.evaluation.duration", "s", "Time one evaluation took.");
    private static readonly Counter<long> s_tokens = s_meter.CreateCounter<long>("evocode.model.tokens", description: "Model tokens, by model and direction (input, output).");
    private static readonly Counter<double> s_cost = s_meter.CreateCounter<double>("evocode.model.cost", description: "Model cost in US dollars (from the configured prices), by model.");
    private static readonly Counter<long> s_runs = s_meter.CreateCounter<long>("evocode.runs", description: "Runs that reached a status (running when a loop starts one), by status.");

    // Candidate id -> the candidate span, so the evaluation worker continues the trace the proposal worker began.
    private static readonly ConcurrentDictionary<Guid, ActivityContext> s_candidates = new();

    private static ISandboxStatus? s_sandbox;

    static EvoCodeTelemetry() =>
        s_meter.CreateObservableGauge("evocode.sandbox.workers", ObserveWorkers, description: "Sandbox worker slots, idle or busy (busy includes a slot whose worker is restarting).");

    /// <summary>The sandbox whose workers <c>evocode.sandbox.workers</c> reports (state busy or idle); the host sets it once.</summary>
    public static void ObserveSandbox(ISandboxStatus sandbox) => Volatile.Write(ref s_sandbox, sandbox);

    private static IEnumerable<Measurement<int>> ObserveWorkers()
    {
        if (Volatile.Read(ref s_sandbox) is not { } sandbox)
        {
            return [];
        }

        var idle = sandbox.IdleWorkers;
        return
        [
            new Measurement<int>(idle, new KeyValuePair<string, object?>("state", "idle")),
            new Measurement<int>(Math.Max(0, sandbox.Workers - idle), new KeyValuePair<string, object?>("state", "busy")),
        ];
    }

    /// <summary>The root span of one candidate, a new trace whatever span is current; null when nobody listens.</summary>
    public static Activity? StartCandidate(Guid runId)
    {
        Activity.Current = null;
        return Source.StartActivity("candidate")?.SetTag("evocode.run_id", runId);
    }

    /// <summary>A stage span under the current one (select, screen).</summary>
    public static Activity? StartStage(string stage) => Source.StartActivity(stage);

    /// <summary>Asks the operator for a proposal inside a <c>propose</c> span tagged with the operator, model and tokens.</summary>
    public static async Task<Proposal> TraceProposeAsync(Func<Task<Proposal>> propose)
    {
        ArgumentNullException.ThrowIfNull(propose);
        using var span = Source.StartActivity("propose");
        var proposal = await propose();
        span?.SetTag("evocode.operator", proposal.Operator)
            .SetTag("evocode.model", proposal.Model)
            .SetTag("evocode.input_tokens", proposal.InputTokens)
            .SetTag("evocode.output_tokens", proposal.OutputTokens)
            .SetTag("evocode.succeeded", proposal.Succeeded);
        return proposal;
    }

    /// <summary>Keeps the candidate span's context for the stages another worker runs later.</summary>
    public static void Remember(Guid candidateId, Activity? candidate)
    {
        if (candidate is not null)
        {
            candidate.SetTag("evocode.candidate_id", candidateId);
            s_candidates[candidateId] = candidate.Context;
        }
    }

    /// <summary>A stage span of a remembered candidate (evaluate, commit); <paramref name="last"/> forgets it.</summary>
    public static Activity? StartCandidateStage(string stage, Guid candidateId, bool last)
    {
        var found = last ? s_candidates.TryRemove(candidateId, out var parent) : s_candidates.TryGetValue(candidateId, out parent);
        return Source.StartActivity(stage, ActivityKind.Internal, found ? parent : default)?.SetTag("evocode.candidate_id", candidateId);
    }

    /// <summary>One committed evaluation; the outcome label is the run statistics' (an Ok run of a wrong program is Incorrect).</summary>
    public static void RecordEvaluation(string outcome, bool correct, TimeSpan runTime)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome == "Ok" && !correct ? "Incorrect" : outcome);
        s_evaluations.Add(1, tag);
        s_evaluationTime.Record(runTime.TotalSeconds, tag);
    }

    /// <summary>One proposal; <paramref name="rejection"/> is the screening reason, or null when it was stored.</summary>
    public static void RecordProposal(string op, string? rejection)
    {
        s_proposals.Add(1, new KeyValuePair<string, object?>("operator", op), new KeyValuePair<string, object?>("result", rejection is null ? "stored" : "rejected"));
        if (rejection is not null)
        {
            s_rejections.Add(1, new KeyValuePair<string, object?>("reason", rejection));
            Activity.Current?.SetTag("evocode.rejection", rejection);
        }
    }

    /// <summary>One model call from the ledger; unknown usage adds nothing here (the ledger keeps its estimate).</summary>
    public static void RecordModelCall(string model, long? inputTokens, long? outputTokens, decimal? cost)
    {
        var tag = new KeyValuePair<string, object?>("model", model);
        s_tokens.Add(inputTokens ?? 0, tag, new KeyValuePair<string, object?>("direction", "input"));
        s_tokens.Add(outputTokens ?? 0, tag, new KeyValuePair<string, object?>("direction", "output"));
        s_cost.Add((double)(cost ?? 0), tag);
    }

    public static void RecordRunStatus(RunStatus status) => s_runs.Add(1, new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant()));
}
