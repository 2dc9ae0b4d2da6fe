namespace EvoCode.Api.Examples;

/// <summary>Where the example problems are, bound from the <c>Examples</c> section.</summary>
internal sealed class ExampleOptions
{
    public const string SectionName = "Examples";

    /// <summary>The folder of problem folders; by default <c>examples</c> next to the server.</summary>
    public string Path { get; set; } = System.IO.Path.Combine(AppContext.BaseDirectory, "examples");
}
