namespace EvoCode.Evolver.Domain;

/// <summary>Where a program's time went, in milliseconds.</summary>
public sealed record CandidateTimings(double ProposeMs = 0, double EvaluateMs = 0, double StoreMs = 0);
