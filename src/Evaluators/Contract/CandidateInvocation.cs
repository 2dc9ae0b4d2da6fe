using System.Text.Json;

namespace EvoCode.Evaluators.Contract;

/// <summary>What to run in the sandbox: a candidate's source and the trusted harness that calls it.</summary>
/// <param name="Source">The full C# source of the candidate.</param>
/// <param name="Harness">Name of a harness from <see cref="HarnessCatalog"/>; it runs next to the candidate and returns raw output.</param>
/// <param name="Parameters">Parameters for the harness (for example the number of circles), as JSON.</param>
/// <param name="Limits">Hard limits for the run.</param>
/// <param name="Seed">Seed of the random source the harness offers the candidate.</param>
public sealed record CandidateInvocation(string Source, string Harness, JsonElement Parameters, RunLimits Limits, int Seed = 0);
