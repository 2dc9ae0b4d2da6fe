namespace EvoCode.Evolver.Domain;

/// <summary>An evaluator artifact as stored with its program.</summary>
public sealed record StoredArtifact(string Name, string MediaType, string Content, bool ForModel);
