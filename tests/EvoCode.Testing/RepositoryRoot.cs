namespace EvoCode.Testing;

/// <summary>The repository the tests run from, found above the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Examples => System.IO.Path.Combine(Path, "examples");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "EvoCode.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EvoCode.sln not found above " + AppContext.BaseDirectory);
    }
}
