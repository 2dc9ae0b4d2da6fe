namespace EvoCode.Evaluators.Contract;

/// <summary>What the harness offers a candidate: a seeded random source and a capped text output.</summary>
/// <param name="Random">Random source seeded from the invocation, so runs are reproducible.</param>
/// <param name="Output">Where the candidate's log goes; the sandbox caps its size.</param>
public sealed record HarnessContext(Random Random, TextWriter Output);
