using EvoCode.Evaluators.Custom;

namespace EvoCode.Evaluators.Tests.Catalog;

public sealed class ScriptSourceTests
{
    [Fact]
    public void Wrap_ScriptBody_KeepsEveryLineNumberAndUsesNoDirectives()
    {
        const string Script = "using System.Text;\n\nvar x = output.Length;\nreturn new Dictionary<string, double> { [\"n\"] = x };";

        var wrapped = ScriptSource.Wrap(Script, "double[][]");

        var lines = wrapped.Split('\n');
        Assert.Equal("using System.Text;", lines[0]);
        Assert.EndsWith("var x = output.Length;", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("return new Dictionary", lines[3], StringComparison.Ordinal);
        Assert.Contains("Evaluate(double[][] output)", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain("#", wrapped, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_ScriptThatAlreadyImportsSystem_DoesNotImportItTwice()
    {
        var wrapped = ScriptSource.Wrap("using System;\nreturn new();", "string");

        Assert.Equal(2, wrapped.Split("using System;").Length);
    }

    [Fact]
    public void Wrap_ClassForm_IsUsedAsWritten()
    {
        const string Script = "public static class Evaluator { }";

        Assert.Same(Script, ScriptSource.Wrap(Script, "string"));
    }
}
