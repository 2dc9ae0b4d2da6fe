using System.Text.Json;
using EvoCode.Evaluators.Scoring;

namespace EvoCode.Evaluators.Cascades;

/// <summary>One stage of an evaluation cascade: a sandboxed run under a harness, then scoring of its raw output.</summary>
/// <param name="Name">Stage name, reported in <see cref="Contract.EvaluationResult.Stage"/>.</param>
/// <param name="Harness">The harness the sandbox runs the candidate under.</param>
/// <param name="Parameters">The harness parameters.</param>
/// <param name="Scorer">Scores the stage's raw output, outside the candidate's process.</param>
/// <param name="Threshold">
/// The least stage score that lets a candidate go on to the next stage; <c>null</c> lets every correct
/// candidate through. Ignored on the last stage.
/// </param>
public sealed record CascadeStage(string Name, string Harness, JsonElement Parameters, IOutputScorer Scorer, double? Threshold = null);
