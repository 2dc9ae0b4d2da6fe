using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Llm;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Mutation.Builtin;
using EvoCode.Evolver.Search;
using EvoCode.Testing;

namespace EvoCode.Evolver.Tests.Languages;

public sealed class ProgramLanguageTests
{
    private static readonly string s_pythonSeed = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, "python-rastrigin")).Seed;

    public static TheoryData<string> Examples => new(Directory.GetDirectories(RepositoryRoot.Examples).Select(Path.GetFileName)!);

    public static TheoryData<string> PythonOperators => new(BuiltinOperators.AnyLanguage.Select(o => o.Name));

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_NamesAKnownLanguage_AndItsSeedHasBlocksInThatLanguagesComments(string name)
    {
        var example = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, name));
        var language = ProgramLanguages.Find(example.Language);

        Assert.NotNull(language);
        Assert.True(EvolveBlocks.TryParse(example.Seed, language, out var blocks, out var error), error);
        Assert.NotEmpty(blocks.Blocks);
        Assert.Same(language, ProgramLanguages.ForFile(example.SeedFile));
    }

    [Fact]
    public void CSharp_FingerprintThenFeatures_ParseTheProgramOnceAndMeasureWhatAFreshParseMeasures()
    {
        var language = new CSharpLanguage();
        var source = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, "circle-packing-26")).Seed;

        var fingerprint = CodeFingerprint.Of(source, language);
        var features = CodeFeatures.Measure(source, language);
        var again = CodeFeatures.Measure(source, language);

        Assert.Equal(1, language.Parses);
        Assert.Equal(CodeFeatures.MeasureCSharp(source), features);
        Assert.Equal(features, again);
        Assert.NotSame(features, again);
        Assert.Equal(CodeFingerprint.Of(source, ProgramLanguages.CSharp).Hash, fingerprint.Hash);
        _ = CodeFeatures.Measure(source + "\n", language);
        Assert.Equal(2, language.Parses);
    }

    [Fact]
    public void EvolveBlocks_PythonSeedReadAsCSharp_FailsNamingTheCSharpMarkers()
    {
        Assert.False(EvolveBlocks.TryParse(s_pythonSeed, ProgramLanguages.CSharp, out _, out var error));
        Assert.Contains("'// EVOLVE-BLOCK-START'", error, StringComparison.Ordinal);

        Assert.False(EvolveBlocks.TryParse("x = 1\n", ProgramLanguages.Python, out _, out error));
        Assert.Equal("The program has no evolve block: mark the editable region with '# EVOLVE-BLOCK-START' and '# EVOLVE-BLOCK-END' lines (Python comments).", error);
    }

    [Fact]
    public void EvolveBlocks_LuaDoubleDashMarkers_FindTheBlockBody()
    {
        var lua = ProgramLanguages.Find("lua")!;
        const string Source = "local M = {}\n--EVOLVE-BLOCK-START\nfunction M.f() return 1 end\n-- EVOLVE-BLOCK-END\nreturn M\n";

        Assert.True(EvolveBlocks.TryParse(Source, lua, out var blocks, out _));
        Assert.Equal("function M.f() return 1 end\n", blocks[0]);
    }

    [Fact]
    public void EvolveBlocks_CSharpMarkerAfterAUrlInAString_IsStillFound()
    {
        const string Source = "var u = \"http://x\"; // EVOLVE-BLOCK-START\nint a = 1;\n// EVOLVE-BLOCK-END\n";

        Assert.True(EvolveBlocks.TryParse(Source, ProgramLanguages.CSharp, out var blocks, out _));
        Assert.Equal("int a = 1;\n", blocks[0]);
    }

    [Fact]
    public void Fingerprint_Python_IgnoresCommentsAndSpacingButNotIndentation()
    {
        var a = CodeFingerprint.Of("if x:\n    y = f(1,2)\nz = 3\n", ProgramLanguages.Python);
        var spaced = CodeFingerprint.Of("if x:   # why\n    y = f(1, 2)\n\n\nz = 3\n", ProgramLanguages.Python);
        var nested = CodeFingerprint.Of("if x:\n    y = f(1,2)\n    z = 3\n", ProgramLanguages.Python);

        Assert.Equal(a.Hash, spaced.Hash);
        Assert.Equal(1.0, a.Similarity(spaced));
        Assert.NotEqual(a.Hash, nested.Hash);
        Assert.InRange(a.Similarity(nested), 0.3, 0.99);
    }

    [Fact]
    public void Features_Python_CountBranchingAndNestingByIndentation()
    {
        const string Source = """
            def f(xs):
                total = 0  # if in a comment does not count
                for x in xs:
                    if x > 0 and x < 9:
                        total += x
                return "if" and total
            """;

        var features = CodeFeatures.Measure(Source, ProgramLanguages.Python);

        // for, if, and (twice; the string "if" is not a keyword) → 1 + 4.
        Assert.Equal(5, features[CodeFeatures.Complexity]);
        Assert.Equal(3, features[CodeFeatures.Nesting]);
        Assert.Equal(6, features[CodeFeatures.Lines]);
        Assert.Equal(Source.Split('\n').Sum(l => (l.Contains('#', StringComparison.Ordinal) ? l[..l.IndexOf('#', StringComparison.Ordinal)] : l).Count(c => !char.IsWhiteSpace(c))), features[CodeFeatures.Length]);
    }

    [Fact]
    public void Features_BraceLanguage_CountNestingByBraces()
    {
        var features = CodeFeatures.Measure("function f(x) { /* if */ if (x || y) { while (x) { x--; } } }", ProgramLanguages.Find("javascript")!);

        Assert.Equal(4, features[CodeFeatures.Complexity]);
        Assert.Equal(3, features[CodeFeatures.Nesting]);
    }

    [Fact]
    public void Infer_FromTheEvaluator_CommandCandidateFileElseCSharp()
    {
        Assert.Same(ProgramLanguages.CSharp, ProgramLanguages.Infer("circle-packing", "{\"n\": 26}", "external-command"));
        Assert.Same(ProgramLanguages.Python, ProgramLanguages.Infer("external-command", "{}", "external-command"));
        Assert.Equal("javascript", ProgramLanguages.Infer("external-command", "{\"candidateFile\": \"main.js\"}", "external-command")!.Id);
        Assert.Null(ProgramLanguages.Infer("external-command", "{\"candidateFile\": \"main.unknown\"}", "external-command"));
        Assert.Same(ProgramLanguages.Python, ProgramLanguages.Infer("circle-packing", "{\"n\": 26, \"program\": {\"command\": \"python3\"}}", "external-command"));
    }

    [Fact]
    public void Interpreter_TheCommandOfTheRunStep_WhenItIsAPython()
    {
        Assert.Equal("/usr/bin/python3.11", PythonLanguage.Interpreter("""{"run": {"command": "/usr/bin/python3.11"}, "score": {"command": "python3"}}"""));
        Assert.Equal("pypy3", PythonLanguage.Interpreter("""{"score": {"command": "pypy3"}}"""));
        Assert.Equal("python3", PythonLanguage.Interpreter("""{"run": {"command": "bash"}}"""));
    }

    [Theory]
    [MemberData(nameof(PythonOperators))]
    public async Task Propose_OnThePythonRastriginSeed_ChangesOnlyTheEvolveBlock(string name)
    {
        var op = ProgramLanguages.Python.Operators.Single(o => o.Name == name);
        var random = new RunRandom(21);
        Assert.True(EvolveBlocks.TryParse(s_pythonSeed, ProgramLanguages.Python, out var blocks, out _));
        var other = s_pythonSeed.Replace("start = 2.5", "start = 1.0\n    start = start * 0.5", StringComparison.Ordinal);
        var children = 0;
        for (var i = 0; i < 30; i++)
        {
            var proposal = await op.ProposeAsync(Request(s_pythonSeed, random, other), TestContext.Current.CancellationToken);
            Assert.Equal(name, proposal.Operator);
            if (!proposal.Succeeded)
            {
                Assert.False(string.IsNullOrWhiteSpace(proposal.Error));
                continue;
            }

            children++;
            Assert.NotEqual(s_pythonSeed, proposal.Source);
            Assert.True(blocks.FrozenPartsMatch(proposal.Source!), "Code outside the markers changed.");
            Assert.Contains("def solve(dimensions):\n", proposal.Source, StringComparison.Ordinal);
            Assert.Contains("    return [start] * dimensions\n", proposal.Source, StringComparison.Ordinal);
        }

        // A five-line block gives crossover few cut points that differ from both parents; the others always have an edit.
        var minimum = name == "crossover" ? 10 : 15;
        Assert.True(children >= minimum, $"Only {children} of 30 proposals produced a child.");
    }

    [Fact]
    public async Task Literal_OnPython_ChangesTheOneLiteralInTheBlock_NeverTheFrozenSolve5()
    {
        var random = new RunRandom(4);
        for (var i = 0; i < 20; i++)
        {
            var proposal = await new NumericLiteralPerturbation().ProposeAsync(Request(s_pythonSeed, random), TestContext.Current.CancellationToken);

            Assert.True(proposal.Succeeded, proposal.Error);
            Assert.DoesNotContain("start = 2.5\n", proposal.Source, StringComparison.Ordinal);
            Assert.Matches(@"\n    start = \d+\.\d+(E-?\d+)?\n", proposal.Source);
            Assert.Contains("print(json.dumps(solve(5)))", proposal.Source, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("python")]
    [InlineData("py")]
    [InlineData("python3")]
    [InlineData("")]
    public void RewriteParser_PythonReplyInTheFencesModelsUse_ReplacesTheBlock(string fence)
    {
        var rewritten = s_pythonSeed.Replace("start = 2.5", "start = 0.0", StringComparison.Ordinal);
        var reply = fence.Length == 0
            ? $"Here:\n```\n{rewritten}```\n"
            : $"Notes:\n```text\nnot the program\n```\n```{fence}\n{rewritten}```\n";

        var result = RewriteParser.Apply(s_pythonSeed, reply, ProgramLanguages.Python);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(rewritten, result.Source);
    }

    [Theory]
    [InlineData("csharp")]
    [InlineData("cs")]
    [InlineData("c#")]
    [InlineData("C#")]
    public void RewriteParser_CSharpFences_AreChosenOverOtherBlocks(string fence)
    {
        const string Parent = "class C {\n// EVOLVE-BLOCK-START\nint a = 1;\n// EVOLVE-BLOCK-END\n}\n";
        var reply = $"```python\nprint(1)\n```\n```{fence}\nclass C {{\n// EVOLVE-BLOCK-START\nint a = 2;\n// EVOLVE-BLOCK-END\n}}\n```\n";

        var result = RewriteParser.Apply(Parent, reply, ProgramLanguages.CSharp);

        Assert.Equal(Parent.Replace("a = 1", "a = 2", StringComparison.Ordinal), result.Source);
    }

    [Fact]
    public void DiffApplier_PythonBlock_AppliesInsideHashMarkers()
    {
        Assert.True(DiffParser.TryParse("<<<<<<< SEARCH\n    start = 2.5\n=======\n    start = 0.5\n>>>>>>> REPLACE\n", out var blocks, out _));

        var result = DiffApplier.Apply(s_pythonSeed, blocks, ProgramLanguages.Python);

        Assert.Equal(s_pythonSeed.Replace("start = 2.5", "start = 0.5", StringComparison.Ordinal), result.Source);
    }

    private static MutationRequest Request(string source, Random random, string? second = null) => new()
    {
        TaskDescription = "rastrigin",
        Parent = new ParentProgram(Guid.NewGuid(), source, -131.25, new Dictionary<string, double>()),
        SecondParent = second is null ? null : new ParentProgram(Guid.NewGuid(), second, -100, new Dictionary<string, double>()),
        Language = ProgramLanguages.Python,
        Random = random,
    };
}
