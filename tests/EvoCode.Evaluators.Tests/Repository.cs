namespace EvoCode.Evaluators.Tests;

/// <summary>Paths in the repository and the shared reference data.</summary>
internal static class Repository
{
    public static string Root => EvoCode.Testing.RepositoryRoot.Path;

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>The published AlphaEvolve constructions (copied from the shared reference data; the file keeps its source line).</summary>
    public static string ConstructionsFile => Path.Combine(Root, "tests", "EvoCode.Evaluators.Tests", "Data", "alphaevolve-constructions.json");
}
