namespace EvoCode.Evaluators.Contract;

/// <summary>A command to run in a fresh, jailed working folder.</summary>
/// <param name="FileName">The program to start (resolved inside the jail).</param>
/// <param name="Arguments">Its arguments, passed without a shell.</param>
/// <param name="Files">Files to write into the working folder first, by relative path.</param>
/// <param name="Limits">Hard limits for the run.</param>
public sealed record CommandInvocation(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Files, RunLimits Limits);

/// <summary>The end of a jailed command.</summary>
/// <param name="Outcome">How it ended; <see cref="RunOutcome.Ok"/> means it exited by itself (any exit code).</param>
/// <param name="ExitCode">The exit code when it exited by itself.</param>
/// <param name="StandardOutput">Standard output, capped.</param>
/// <param name="StandardError">Standard error, capped.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record CommandRun(RunOutcome Outcome, int? ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed);
