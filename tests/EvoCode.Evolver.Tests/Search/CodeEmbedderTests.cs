using EvoCode.Evolver.Languages;
using EvoCode.Evolver.Search;

namespace EvoCode.Evolver.Tests.Search;

/// <summary>The MiniLM model shipped in the package, loaded and run for real.</summary>
public sealed class CodeEmbedderTests
{
    private static string Program(string body) => $$"""
        public static class Candidate
        {
            // EVOLVE-BLOCK-START
        {{body}}
            // EVOLVE-BLOCK-END
        }
        """;

    private static readonly string s_sum = Program("""
            public static int Sum(int[] values)
            {
                var total = 0;
                foreach (var v in values) { total += v; }
                return total;
            }
        """);

    private static readonly string s_sumRenamed = Program("""
            public static int Sum(int[] items)
            {
                var sum = 0;
                for (var i = 0; i < items.Length; i++) { sum += items[i]; }
                return sum;
            }
        """);

    private static readonly string s_parse = Program("""
            public static string Reverse(string text)
            {
                var chars = text.ToCharArray();
                Array.Reverse(chars);
                return new string(chars).ToUpperInvariant();
            }
        """);

    [Fact]
    public void Embed_SameIdeaWrittenDifferently_IsCloserThanADifferentIdea()
    {
        var embedder = CodeEmbedder.Shared;
        var sum = embedder.Embed(s_sum, ProgramLanguages.CSharp);
        var renamed = embedder.Embed(s_sumRenamed, ProgramLanguages.CSharp);
        var parse = embedder.Embed(s_parse, ProgramLanguages.CSharp);

        var same = CodeEmbedder.Similarity(sum, renamed);
        var different = CodeEmbedder.Similarity(sum, parse);
        TestContext.Current.SendDiagnosticMessage($"same idea {same:F4}, different idea {different:F4}");
        Assert.True(same > different, $"same idea {same}, different idea {different}");
        Assert.Equal(1, CodeEmbedder.Similarity(sum, sum), 5);
    }

    [Fact]
    public void Embed_IsUnitLengthDeterministicAndRoundTripsThroughBytes()
    {
        var embedding = CodeEmbedder.Shared.Embed(s_sum, ProgramLanguages.CSharp);

        Assert.Equal(CodeEmbedder.Dimensions, embedding.Length);
        Assert.Equal(1, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);
        Assert.Equal(embedding, CodeEmbedder.Shared.Embed(s_sum, ProgramLanguages.CSharp));
        Assert.Equal(embedding, CodeEmbedder.FromBytes(CodeEmbedder.ToBytes(embedding)));
        Assert.Equal(CodeEmbedder.Dimensions * 4, CodeEmbedder.ToBytes(embedding).Length);
    }

    [Fact]
    public void Embed_LongBlock_IsCutIntoPiecesAndStillEmbedded()
    {
        var longBody = string.Join('\n', Enumerable.Range(0, 200).Select(i => $"        public static int F{i}(int x) => x * {i} + {i % 7};"));
        var embedding = CodeEmbedder.Shared.Embed(Program(longBody), ProgramLanguages.CSharp);
        var python = CodeEmbedder.Shared.Embed("# EVOLVE-BLOCK-START\ndef total(values):\n    return sum(values)\n# EVOLVE-BLOCK-END\n", ProgramLanguages.Python);

        Assert.Equal(1, Math.Sqrt(embedding.Sum(v => (double)v * v)), 5);
        Assert.Equal(1, Math.Sqrt(python.Sum(v => (double)v * v)), 5);
    }
}
