extern alias worker;

using EvoCode.Evaluators.Contract;
using worker::EvoCode.Sandbox.Worker.Compilation;
using worker::EvoCode.Sandbox.Worker.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EvoCode.Sandbox.Tests;

/// <summary>The compiler and both policy walls, in-process (no candidate is run here).</summary>
public sealed class CompilerPolicyTests
{
    private static readonly Lazy<ReferenceSet> s_references = new(ReferenceSet.Load);

    private static CompileResult Compile(string source) =>
        new CandidateCompiler(s_references.Value).Compile(source, 64 * 1024, TestContext.Current.CancellationToken);

    public static TheoryData<string, string> LegitimatePrograms() => new()
    {
        { "records, LINQ, tuples", Programs.Body("""var pts = Enumerable.Range(0, 5).Select(i => new P(i, i * 2.0)).ToList(); var (a, b) = (pts.Max(p => p.X), pts.Sum(p => p.Y)); return $"{a}:{b}:{pts[0]}";""", "public sealed record P(int X, double Y);") },
        { "collection expressions and spans", Programs.Body("""int[] a = [3, 1, 2]; List<int> l = [.. a, 4]; Span<int> s = a; s.Sort(); return l.Count + s[0];""") },
        { "iterators and local functions", Programs.Body("""static IEnumerable<int> Odd(int n) { for (var i = 1; i < n; i += 2) yield return i; } return Odd(10).Sum();""") },
        { "BigInteger, Vector2 and Math", Programs.Body("""var x = System.Numerics.BigInteger.Pow(3, 40); var v = new System.Numerics.Vector2(3, 4); return Math.Sqrt((double)(x % 1000)) + v.Length();""") },
        { "StringBuilder and culture-invariant formatting", Programs.Body("""var sb = new System.Text.StringBuilder(); sb.Append(1.5.ToString(System.Globalization.CultureInfo.InvariantCulture)).AppendLine("!"); return sb.ToString();""") },
        { "harness randomness and output", Programs.Body("""var r = context.Random.NextDouble(); context.Output.WriteLine(r); return new Random(42).Next(10);""") },
        { "dictionary, sorting, pattern matching", Programs.Body("""var d = new Dictionary<string, int> { ["a"] = 1 }; var s = new SortedSet<int> { 3, 1 }; object o = d; return o is Dictionary<string, int> { Count: 1 } ? s.Min : -1;""") },
        { "generic class with indexer and interface", Programs.Body("""var g = new Grid<double>(2); g[1] = 3; return g[1];""", "public sealed class Grid<T>(int n) : IComparable<Grid<T>> { private readonly T[] _cells = new T[n]; public T this[int i] { get => _cells[i]; set => _cells[i] = value; } public int CompareTo(Grid<T>? other) => 0; }") },
        { "exceptions and switch expressions", Programs.Body("""try { throw new ArgumentException("x"); } catch (ArgumentException e) { return e.Message.Length switch { 1 => "one", _ => "many" }; }""") },
    };

    [Theory]
    [MemberData(nameof(LegitimatePrograms))]
    public void Compile_LegitimateProgram_PassesBothPolicyWalls(string name, string source)
    {
        var result = Compile(source);

        Assert.True(result.Outcome == RunOutcome.Ok, $"{name}: {result.Outcome} {string.Join(" | ", result.Diagnostics)}");
        Assert.NotNull(result.Image);
    }

    [Fact]
    public void Compile_SyntaxError_ReportsCompilerDiagnosticWithLocation()
    {
        var result = Compile("public static class Candidate { public static int Run() { return 1 } }");

        Assert.Equal(RunOutcome.CompileError, result.Outcome);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("CS1002", error.Id);
        Assert.Equal(1, error.Line);
        Assert.True(error.Column > 60);
    }

    [Fact]
    public void Compile_RefusedApi_NamesRuleAndLocation()
    {
        var result = Compile("public static class Candidate\n{\n    public static string Run() => System.IO.File.ReadAllText(\"/etc/passwd\");\n}\n");

        Assert.Equal(RunOutcome.PolicyViolation, result.Outcome);
        var violation = Assert.Single(result.Diagnostics);
        Assert.Equal("policy/FileSystem", violation.Id);
        Assert.Equal(3, violation.Line);
        Assert.Contains("System.IO.File", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_OversizedSource_IsRefusedBeforeParsing()
    {
        var result = new CandidateCompiler(s_references.Value).Compile(new string(' ', 2048), 1024, TestContext.Current.CancellationToken);

        Assert.Equal(RunOutcome.CompileError, result.Outcome);
        Assert.Equal(SourceLimits.Id, Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Compile_CancelledToken_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new CandidateCompiler(s_references.Value).Compile(Programs.Good, 64 * 1024, cancelled.Token));
    }

    [Fact]
    public void MetadataCheck_AssemblyBuiltWithoutSourcePolicy_CatchesUnsafeLayoutInitializerAndInterop()
    {
        // Compiled directly with Roslyn, bypassing the syntax and semantic walls: the metadata wall alone must refuse.
        const string source = """
            using System.Runtime.CompilerServices;
            using System.Runtime.InteropServices;
            [StructLayout(LayoutKind.Explicit)] public struct Overlay { [FieldOffset(0)] public object Ref; [FieldOffset(0)] public long Bits; }
            public static class Evil
            {
                [ModuleInitializer] internal static void Init() { }
                [DllImport("libc")] public static extern int getpid();
                public static long Leak(object o) => Unsafe.As<object, long>(ref o) + System.IO.File.ReadAllText("/etc/passwd").Length;
            }
            """;
        var compilation = CSharpCompilation.Create("Evil", [CSharpSyntaxTree.ParseText(source, cancellationToken: TestContext.Current.CancellationToken)], s_references.Value.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        using var image = new MemoryStream();
        var emit = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));

        var rules = MetadataPolicyCheck.Check(image.ToArray()).Select(d => d.Id).ToHashSet();

        Assert.Contains("policy/ExplicitLayout", rules);
        Assert.Contains("policy/ModuleInitializer", rules);
        Assert.Contains("policy/Interop", rules);
        Assert.Contains("policy/UnsafeMemory", rules);
        Assert.Contains("policy/FileSystem", rules);
    }

    [Theory]
    [InlineData("System.Collections.Generic.List`1", null)]
    [InlineData("System.IO.File", PolicyRules.FileSystem)]
    [InlineData("System.Type", PolicyRules.Reflection)]
    [InlineData("System.Threading.Thread", PolicyRules.Threads)]
    [InlineData("System.Console", PolicyRules.Console)]
    public void CheckType_SourceLevel_AllowsOnlyTheAllowlist(string type, string? rule)
    {
        Assert.Equal(rule, ApiPolicy.CheckType(type, compilerSynthesized: false));
    }

    [Fact]
    public void CheckMember_CompilerHelperType_AllowsOnlyItsSynthesizedMembers()
    {
        Assert.Null(ApiPolicy.CheckMember("System.Type", "GetTypeFromHandle", 1, compilerSynthesized: true));
        Assert.Equal(PolicyRules.Reflection, ApiPolicy.CheckMember("System.Type", "InvokeMember", 5, compilerSynthesized: true));
        Assert.Equal(PolicyRules.Reflection, ApiPolicy.CheckMember("System.Type", "GetTypeFromHandle", 1, compilerSynthesized: false));
        Assert.Equal(PolicyRules.FileSystem, ApiPolicy.CheckMember("System.IO.TextWriter", "get_Encoding", -1, compilerSynthesized: false));
        Assert.Null(ApiPolicy.CheckMember("System.IO.TextWriter", "WriteLine", 1, compilerSynthesized: false));
    }
}
