namespace EvoCode.Evaluators.Custom;

/// <summary>A program and its arguments, started without a shell inside the jailed working folder.</summary>
/// <param name="Command">The program, such as "python3".</param>
/// <param name="Arguments">Its arguments.</param>
public sealed record CommandStep(string Command, IReadOnlyList<string> Arguments);
