namespace EvoCode.Evaluators.Tests;

/// <summary>Paths in the repository and the shared reference data.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>The published AlphaEvolve constructions (copied from the shared reference data; the file keeps its source line).</summary>
    public static string ConstructionsFile => Path.Combine(Root, "tests", "EvoCode.Evaluators.Tests", "Data", "alphaevolve-constructions.json");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvoCode.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvoCode.sln not found above the test output folder.");
    }
}
