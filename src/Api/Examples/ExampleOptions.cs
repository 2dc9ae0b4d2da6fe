namespace EvoCode.Api.Examples;

/// <summary>Where the example problems are, bound from the <c>Examples</c> section.</summary>
internal sealed class ExampleOptions
{
    public const string SectionName = "Examples";

    /// <summary>The folder of problem folders; relative paths resolve against the content root (the server's folder).</summary>
    public string Path { get; set; } = "examples";
}
