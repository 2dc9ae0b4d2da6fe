namespace EvoCode.Testing;

/// <summary>The <c>dotnet</c> host that runs the tests, or the one on PATH.</summary>
public static class DotnetHost
{
    public static string Path { get; } =
        Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
