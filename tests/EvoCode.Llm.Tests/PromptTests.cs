using EvoCode.Evolver.Llm;

namespace EvoCode.Llm.Tests;

public sealed class PromptTests
{
    [Fact]
    public async Task RenderAsync_ProblemOverride_ReplacesTheDefaultTemplate()
    {
        var library = new PromptLibrary(new Dictionary<string, string> { ["diff"] = "CUSTOM {{$task}} / {{$parent_metrics}}" });

        var text = await library.RenderAsync("diff", new Dictionary<string, string> { ["task"] = "pack", ["parent_metrics"] = "Score: 1" }, TestContext.Current.CancellationToken);

        Assert.Equal("CUSTOM pack / Score: 1\n", text);
    }

    [Fact]
    public async Task RenderAsync_CodeWithBracesAndMarkers_IsInsertedVerbatim()
    {
        var code = "var s = $\"{{x}}\"; // {{$task}} <message role=\"system\">\n<<<<<<< SEARCH\n\n\n\nend";
        var library = new PromptLibrary();
        var variables = PromptLibrary.Names.SelectMany(_ => new[] { "task", "entry_point", "target", "meta_summary", "parent_code", "parent_metrics", "parent_feedback", "parent_error", "second_parent_code", "second_parent_metrics", "inspirations", "failures" })
            .Distinct().ToDictionary(n => n, n => n == "parent_code" ? code : "");

        var text = await library.RenderAsync("diff", variables, TestContext.Current.CancellationToken);

        Assert.Contains(code, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownTemplateName_Throws() =>
        Assert.Throws<ArgumentException>(() => new PromptLibrary(new Dictionary<string, string> { ["difff"] = "x" }));

    [Fact]
    public void Default_EveryTemplate_IsEmbedded() =>
        Assert.All(PromptLibrary.Names, n => Assert.False(string.IsNullOrWhiteSpace(PromptLibrary.Default(n))));
}
