using EvoCode.Evolver.Llm;

namespace EvoCode.Llm.Tests;

public sealed class EditTests
{
    private const string Program = """
        using System;
        // frozen: 0.05
        public static class P
        {
            // EVOLVE-BLOCK-START
            public static double A() => 0.05;
            public static double B()
            {
                var x = 1;
                var y = 1;
                return x + y;
            }
            // EVOLVE-BLOCK-END
            public static double C() => 0.05;
        }

        """;

    [Fact]
    public void Apply_SearchMatchesExactlyOnce_ReplacesItWithoutNotes()
    {
        var result = Apply(TestModels.Diff("    public static double A() => 0.05;", "    public static double A() => 0.07;"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("public static double A() => 0.07;", result.Source, StringComparison.Ordinal);
        Assert.Contains("public static double C() => 0.05;", result.Source, StringComparison.Ordinal);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Apply_SearchNotFound_FailsWithReasonAndClosestText()
    {
        var result = Apply(TestModels.Diff("    var x = 2;\n    var y = 1;", "    var x = 3;"));

        Assert.False(result.Succeeded);
        Assert.Contains("not found", result.Error, StringComparison.Ordinal);
        Assert.Contains("closest text", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SearchMatchesTwice_FailsAsAmbiguous()
    {
        var parent = Program.Replace("var y = 1;", "var x = 1;", StringComparison.Ordinal);
        Assert.True(DiffParser.TryParse(TestModels.Diff("        var x = 1;", "        var x = 2;"), out var blocks, out _));

        var result = DiffApplier.Apply(parent, blocks);

        Assert.False(result.Succeeded);
        Assert.Contains("matches 2 places", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_TrailingWhitespaceDiffers_AppliesAndRecordsTheFallback()
    {
        var result = Apply(TestModels.Diff("        var x = 1;   ", "        var x = 5;"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("        var x = 5;", result.Source, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("trailing-whitespace", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_IndentationDiffers_ReindentsReplacementAndRecordsTheFallback()
    {
        var result = Apply(TestModels.Diff("var x = 1;\nvar y = 1;", "var x = 2;\nif (x > 1)\n    x++;\nvar y = 1;"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("        var x = 2;\n        if (x > 1)\n            x++;\n        var y = 1;", result.Source, StringComparison.Ordinal);
        Assert.Contains(result.Notes, n => n.Contains("indentation", StringComparison.Ordinal));
    }

    [Fact]
    public void Apply_SearchOutsideTheMarkers_IsRefused()
    {
        var result = Apply(TestModels.Diff("    public static double C() => 0.05;", "    public static double C() => 9;"));

        Assert.False(result.Succeeded);
        Assert.Contains("outside the EVOLVE-BLOCK", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ReplaceContainsAMarker_IsRefused()
    {
        var result = Apply(TestModels.Diff("    public static double A() => 0.05;", "    // EVOLVE-BLOCK-END\n    public static double A() => 1;"));

        Assert.False(result.Succeeded);
        Assert.Contains("marker", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_SeveralBlocks_AppliesInOrderAgainstTheEvolvingText()
    {
        var reply = "Some text first.\n```\n" + TestModels.Diff("        var x = 1;", "        var x = 10;") + "```\n" + TestModels.Diff("        var x = 10;", "        var x = 11;");

        var result = Apply(reply);

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("var x = 11;", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_EditChangesNothing_Fails()
    {
        var result = Apply(TestModels.Diff("        var x = 1;", "        var x = 1;"));

        Assert.False(result.Succeeded);
        Assert.Contains("change nothing", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_EmptySearch_AppendsInsideTheLastBlock()
    {
        var result = Apply(TestModels.Diff("", "    public static int D() => 4;"));

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("    public static int D() => 4;\n    // EVOLVE-BLOCK-END", result.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<<<<<<< SEARCH\nx\n=======\ny\n", "truncated")]
    [InlineData("=======\n", "outside")]
    [InlineData("<<<<<<< SEARCH\nx\n=======\ny\n=======\nz\n>>>>>>> REPLACE\n", "second '======='")]
    [InlineData("I would change the radius.", "no SEARCH/REPLACE block")]
    [InlineData(">>>>>>> REPLACE\n", "without a matching")]
    public void TryParse_MalformedBlocks_FailsWithReason(string reply, string reason)
    {
        Assert.False(DiffParser.TryParse(reply, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ThinkingDraftAndCrlf_AreIgnored()
    {
        var reply = "<think>\n<<<<<<< SEARCH\ndraft\n=======\n</think>\r\n<<<<<<< SEARCH\r\na\r\n=======\r\nb\r\n>>>>>>> REPLACE\r\n";

        Assert.True(DiffParser.TryParse(reply, out var blocks, out var error), error);
        var block = Assert.Single(blocks);
        Assert.Equal(["a"], block.Search);
        Assert.Equal(["b"], block.Replace);
    }

    [Fact]
    public void Rewrite_ChangedFrozenCode_KeepsTheParentsAndNotesIt()
    {
        var rewritten = Program.Replace("0.05;\n    public static double B()", "0.09;\n    public static double B()", StringComparison.Ordinal)
            .Replace("public static double C() => 0.05;", "public static double C() => 99;", StringComparison.Ordinal);

        var result = RewriteParser.Apply(Program, $"Sure.\n```python\nprint(1)\n```\n```csharp\n{rewritten}```\n");

        Assert.True(result.Succeeded, result.Error);
        Assert.Contains("public static double A() => 0.09;", result.Source, StringComparison.Ordinal);
        Assert.Contains("public static double C() => 0.05;", result.Source, StringComparison.Ordinal);
        Assert.Single(result.Notes);
    }

    [Theory]
    [InlineData("No code at all.", "no fenced code block")]
    [InlineData("```csharp\npublic static class P { }\n```", "Keep the")]
    [InlineData("```csharp\n// EVOLVE-BLOCK-START\nint x;\n", "truncated")]
    public void Rewrite_BadReply_FailsWithReason(string reply, string reason)
    {
        var result = RewriteParser.Apply(Program, reply);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    private static EditResult Apply(string reply)
    {
        Assert.True(DiffParser.TryParse(reply, out var blocks, out var error), error);
        return DiffApplier.Apply(Program, blocks);
    }
}
