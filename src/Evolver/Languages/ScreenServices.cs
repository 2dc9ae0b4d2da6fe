using EvoCode.Evaluators.Contract;
using EvoCode.Evolver.Llm;

namespace EvoCode.Evolver.Languages;

/// <summary>What a language's screen may use.</summary>
/// <param name="CompileCheck">The sandbox's C# compile and policy check.</param>
/// <param name="Runner">The sandbox, for commands in the jail.</param>
/// <param name="EvaluatorParameters">The problem's evaluator parameters as JSON (for the interpreter its commands start).</param>
public sealed record ScreenServices(ICodeCheck? CompileCheck, ICandidateRunner Runner, string EvaluatorParameters);
