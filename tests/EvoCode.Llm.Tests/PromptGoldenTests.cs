using System.Runtime.CompilerServices;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;

namespace EvoCode.Llm.Tests;

/// <summary>
/// The prompt of every operator on one fixed archive, compared with golden files in <c>Golden/</c>. A deliberate
/// change of a template or a section is reviewed in the golden file's diff: run with EVOCODE_UPDATE_GOLDEN=1 to
/// rewrite the files, then read the diff before committing.
/// </summary>
public sealed class PromptGoldenTests
{
    private const string Target = "2.635";

    [Theory]
    [InlineData(DiffOperator.OperatorName)]
    [InlineData(RewriteOperator.OperatorName)]
    [InlineData(CrossoverOperator.OperatorName)]
    [InlineData(FixOperator.OperatorName)]
    public async Task Render_FixedArchive_MatchesTheGoldenFile(string operatorName)
    {
        var prompt = await RenderAsync(operatorName, FixedArchive.Request(operatorName), new PromptSettings { TargetValue = 2.635 });

        AssertGolden($"{operatorName}.txt", prompt.Text);
    }

    [Fact]
    public async Task Render_Meta_MatchesTheGoldenFile()
    {
        var prompt = await MetaMemory.RenderAsync(
            new PromptLibrary(),
            new PromptSettings { TargetValue = 2.635 },
            FixedArchive.Task,
            "Larger radii near the corners helped.",
            [
                new MetaMemoryEntry("diff", "m1", 1.42, 1.3, null, "corner_radii: grow the four corner circles by 10%"),
                new MetaMemoryEntry("rewrite", "m1", null, 1.3, "Circle 9 has a negative radius", "hex_grid: place circles on a hexagonal grid"),
                new MetaMemoryEntry("fix", "m2", 1.31, null, null, "diff: 1 line changed (+1 -1), first: `r = Math.Max(r, 0);`"),
            ],
            TestContext.Current.CancellationToken);

        AssertGolden("meta.txt", prompt);
    }

    [Fact]
    public async Task Render_Crossover_ShowsEveryProgramOnce()
    {
        var request = FixedArchive.Request(CrossoverOperator.OperatorName);

        var prompt = (await RenderAsync(CrossoverOperator.OperatorName, request, new PromptSettings())).Text;

        // Program B is also an inspiration and a top program (the issue's repeated "Program 1"); the migrant copy of
        // the parent and a top program that is also an inspiration are in the request twice.
        string[] programs = [FixedArchive.Parent.Source, FixedArchive.Second.Source, FixedArchive.CornerFirst.Source, FixedArchive.Spiral.Source, FixedArchive.Hexagonal.Source];
        foreach (var source in programs)
        {
            Assert.Equal(1, Occurrences(prompt, source));
        }

        Assert.Contains("Evaluator feedback:\n[layout] B leaves the centre empty", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_HiddenTarget_NeverAppearsInAnyOperatorPrompt()
    {
        foreach (var name in LanguageModelRunSettings.OperatorNames)
        {
            var prompt = (await RenderAsync(name, FixedArchive.Request(name), new PromptSettings { TargetValue = 2.635 })).Text;

            Assert.DoesNotContain(Target, prompt, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Render_SectionTurnedOffOrReplaced_FollowsTheRunsTemplates()
    {
        var library = new PromptLibrary(new Dictionary<string, string>
        {
            [PromptSections.History] = "",
            [PromptSections.Failures] = "AVOID:\n{{$items}}",
        });
        var settings = new PromptSettings { SectionTokens = new Dictionary<string, int>(PromptSections.DefaultTokens) { [PromptSections.TopPrograms] = 0 } };

        var prompt = await new PromptRenderer(library, settings).RenderAsync(DiffOperator.OperatorName, FixedArchive.Request(DiffOperator.OperatorName), false, TestContext.Current.CancellationToken);

        Assert.DoesNotContain("# What was tried around this program", prompt.User, StringComparison.Ordinal);
        Assert.DoesNotContain("# The best programs of the run so far", prompt.User, StringComparison.Ordinal);
        Assert.Contains("AVOID:\n- 3 times (2 from this program): Circle 9 has a negative radius\n", prompt.User, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SmallBudgets_DropWholeEntriesOldestFirst()
    {
        var request = FixedArchive.Request(DiffOperator.OperatorName);
        var settings = new PromptSettings
        {
            SectionTokens = new Dictionary<string, int>(PromptSections.DefaultTokens) { [PromptSections.History] = 60, [PromptSections.Inspirations] = 150 },
        };

        var prompt = (await new PromptRenderer(new PromptLibrary(), settings).RenderAsync(DiffOperator.OperatorName, request, false, TestContext.Current.CancellationToken)).User;

        // History comes newest first and keeps a prefix: the newest attempts stay, the oldest go.
        var history = Section(prompt, "# What was tried around this program");
        var shown = request.History.Select(a => history.Contains($", {a.Operator}{(a.ChangeNote is null ? ":" : $" \"{a.ChangeNote.Split(':')[0]}:")}", StringComparison.Ordinal)).ToList();
        Assert.True(shown[0]);
        Assert.False(shown[^1]);
        Assert.Equal(shown.Count(s => s), shown.TakeWhile(s => s).Count());

        // The long spiral program does not fit and is left out whole; the short one after it is shown whole.
        Assert.Contains(FixedArchive.CornerFirst.Source, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("spiral step", prompt, StringComparison.Ordinal);
    }

    private static Task<RenderedPrompt> RenderAsync(string operatorName, MutationRequest request, PromptSettings settings) =>
        new PromptRenderer(new PromptLibrary(), settings).RenderAsync(operatorName, request, operatorName == CrossoverOperator.OperatorName, TestContext.Current.CancellationToken);

    private static string Section(string prompt, string heading)
    {
        var start = prompt.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No section {heading}.");
        var end = prompt.IndexOf("\n# ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? prompt[start..] : prompt[start..end];
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(GoldenFolder(), name);
        if (Environment.GetEnvironmentVariable("EVOCODE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run with EVOCODE_UPDATE_GOLDEN=1 to write it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string GoldenFolder([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");
}
