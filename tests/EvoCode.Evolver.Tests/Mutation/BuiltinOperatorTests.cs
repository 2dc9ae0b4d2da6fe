using EvoCode.Evaluators.Examples;
using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Mutation;
using EvoCode.Evolver.Mutation.Builtin;
using EvoCode.Evolver.Search;
using EvoCode.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Evolver.Tests.Mutation;

public sealed class BuiltinOperatorTests
{
    private static readonly string s_seed = ExampleLibrary.Load(Path.Combine(RepositoryRoot.Examples, "circle-packing-26")).Seed;

    // One compilation binds the references once; each child replaces only the syntax tree.
    private static readonly CSharpCompilation s_compilation = CSharpCompilation.Create(
        "child",
        [],
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator).Select(p => MetadataReference.CreateFromFile(p))],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    public static TheoryData<string> Operators => new(BuiltinOperators.CSharp.Select(o => o.Name));

    private static MutationRequest Request(string source, Random random, string? second = null) => new()
    {
        TaskDescription = "pack",
        Parent = new ParentProgram(Guid.NewGuid(), source, 1.0, new Dictionary<string, double>()),
        SecondParent = second is null ? null : new ParentProgram(Guid.NewGuid(), second, 1.0, new Dictionary<string, double>()),
        Random = random,
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public async Task Propose_OnTheCirclePackingSeed_ChangesOnlyTheEvolveBlock(string name)
    {
        var op = BuiltinOperators.CSharp.Single(o => o.Name == name);
        var random = new RunRandom(11);
        Assert.True(EvolveBlocks.TryParse(s_seed, ProgramLanguages.CSharp, out var blocks, out _));
        var other = (await new StatementEdit(StatementEditKind.Delete).ProposeAsync(Request(s_seed, random), TestContext.Current.CancellationToken)).Source!;
        var children = 0;
        for (var i = 0; i < 30; i++)
        {
            var proposal = await op.ProposeAsync(Request(s_seed, random, other), TestContext.Current.CancellationToken);
            Assert.Equal(name, proposal.Operator);
            if (!proposal.Succeeded)
            {
                // Allowed (a crossover may reproduce its parent), but it must say why.
                Assert.False(string.IsNullOrWhiteSpace(proposal.Error));
                continue;
            }

            children++;
            Assert.NotEqual(s_seed, proposal.Source);
            Assert.True(blocks.FrozenPartsMatch(proposal.Source!), "Code outside the markers changed.");
        }

        Assert.True(children >= 15, $"Only {children} of 30 proposals produced a child.");
    }

    [Fact]
    public async Task Propose_AllOperatorsOnTheCirclePackingSeed_MostChildrenCompile()
    {
        var random = new RunRandom(12);
        var compiled = 0;
        var total = 0;
        var perOperator = new Dictionary<string, (int Ok, int All)>();
        foreach (var op in BuiltinOperators.CSharp)
        {
            for (var i = 0; i < 25; i++)
            {
                var second = (await new StatementEdit(StatementEditKind.Delete).ProposeAsync(Request(s_seed, random), TestContext.Current.CancellationToken)).Source!;
                var child = (await op.ProposeAsync(Request(s_seed, random, second), TestContext.Current.CancellationToken)).Source;
                var ok = child is not null && Compiles(child);
                compiled += ok ? 1 : 0;
                total++;
                var (o, a) = perOperator.GetValueOrDefault(op.Name);
                perOperator[op.Name] = (o + (ok ? 1 : 0), a + 1);
            }
        }

        TestContext.Current.SendDiagnosticMessage(string.Join(", ", perOperator.Select(p => $"{p.Key}: {p.Value.Ok}/{p.Value.All}")));
        Assert.True(compiled > total / 2, $"Only {compiled} of {total} children compile: {string.Join(", ", perOperator.Select(p => $"{p.Key} {p.Value.Ok}/{p.Value.All}"))}");
        Assert.Equal(25, perOperator["literal"].Ok);
    }

    [Fact]
    public async Task Propose_SourceWithoutMarkers_FailsWithTheReason()
    {
        var proposal = await new LiteralPerturbation().ProposeAsync(Request("class C { double x = 1.0; }", new RunRandom(1)), TestContext.Current.CancellationToken);
        Assert.False(proposal.Succeeded);
        Assert.Contains("no evolve block", proposal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crossover_WithoutASecondParent_FailsCleanly()
    {
        var proposal = await new BlockCrossover().ProposeAsync(Request(s_seed, new RunRandom(1)), TestContext.Current.CancellationToken);
        Assert.False(proposal.Succeeded);
        Assert.Contains("second parent", proposal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Fingerprint_LayoutAndCommentChanges_HaveTheSameHash()
    {
        var a = CodeFingerprint.Of("class C { int F() { return 1 + 2; } }", ProgramLanguages.CSharp);
        var b = CodeFingerprint.Of("class C\n{\n    // a comment\n    int F()   { return 1+2; }\n}\n", ProgramLanguages.CSharp);
        var c = CodeFingerprint.Of("class C { int F() { return 1 + 3; } }", ProgramLanguages.CSharp);

        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
        Assert.Equal(1.0, a.Similarity(b));
        Assert.InRange(a.Similarity(c), 0.3, 0.99);
    }

    private static bool Compiles(string source) =>
        !s_compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(source)).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
}
