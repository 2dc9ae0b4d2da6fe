namespace EvoCode.Evolver.Domain;

/// <summary>
/// Where a program's time went, in milliseconds, in the order it was spent: select, propose, screen, store, queue,
/// compile, run, score, commit. <see cref="EvaluateMs"/> is compile + run + score. The flags say whether the sandbox
/// reused an earlier compile of the same source. Each part starts where the one before it ended (the engine's
/// <c>SlotClock</c>); a slot's screened-out attempts are the run's time, not this program's.
/// </summary>
/// <param name="ProposeMs">The operator: a model call or a built-in mutation.</param>
/// <param name="EvaluateMs">The evaluation: <paramref name="CompileMs"/> + <paramref name="RunMs"/> + <paramref name="ScoreMs"/>.</param>
/// <param name="StoreMs">Storing the pending program.</param>
/// <param name="SelectMs">From the slot's start (in lockstep, the previous evaluation's end): sampling the parents and building the request (prompt, inspirations).</param>
/// <param name="ScreenMs">The proposal screen: duplicate checks and the sandbox's compile and policy check, waiting for a worker included.</param>
/// <param name="ScreenCached">The screen's compile was reused from an earlier compile of the same source.</param>
/// <param name="QueueMs">From stored to evaluated: waiting for an evaluation slot, then for a sandbox worker.</param>
/// <param name="CompileMs">Compiling and checking for the evaluation, as its caller sees it (the source's trip to the worker included).</param>
/// <param name="CompileCached">The evaluation's compile was reused from an earlier compile of the same source.</param>
/// <param name="RunMs">Running the program in the worker, summed over the evaluator's runs (cascade stages, commands).</param>
/// <param name="ScoreMs">The evaluator's own work around the runs: scoring the output, checks, artifacts.</param>
/// <param name="CommitMs">Committing the result, its archive placement and events, until its row is written.</param>
public sealed record CandidateTimings(
    double ProposeMs = 0,
    double EvaluateMs = 0,
    double StoreMs = 0,
    double SelectMs = 0,
    double ScreenMs = 0,
    bool ScreenCached = false,
    double QueueMs = 0,
    double CompileMs = 0,
    bool CompileCached = false,
    double RunMs = 0,
    double ScoreMs = 0,
    double CommitMs = 0);
