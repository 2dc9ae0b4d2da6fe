namespace EvoCode.Evaluators.Tests;

/// <summary>Checks for tools some tests need; a missing one fails the test with what to install.</summary>
internal static class Prerequisites
{
    public static void RequirePython()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator)
            .Any(dir => File.Exists(Path.Combine(dir, "python3")));
        Assert.True(found, "python3 is required by this test and was not found on PATH: install it (apt-get install python3).");
    }
}
