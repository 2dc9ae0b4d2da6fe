namespace EvoCode.Api.Tests;

/// <summary>The repository root, found from the test's output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EvoCode.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvoCode.sln not found above " + AppContext.BaseDirectory);
    }
}
