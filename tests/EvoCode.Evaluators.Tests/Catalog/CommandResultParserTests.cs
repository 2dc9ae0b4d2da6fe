using EvoCode.Evaluators.Custom;

namespace EvoCode.Evaluators.Tests.Catalog;

public sealed class CommandResultParserTests
{
    [Fact]
    public void Parse_FullResultOnLastLine_ReadsEveryPart()
    {
        var stdout = """
            some log line
            {"correct": true, "score": 1.5, "metrics": {"m": 2}, "features": {"f": 0.5}, "artifacts": [{"name": "note", "content": "hi", "forModel": false}], "error": null}
            """;

        var result = CommandResultParser.Parse(stdout);

        Assert.True(result.Correct, result.Error);
        Assert.Equal(1.5, result.Score);
        Assert.Equal(2, result.Metrics["m"]);
        Assert.Equal(0.5, result.Features["f"]);
        var artifact = Assert.Single(result.Artifacts);
        Assert.Equal(("note", "text/plain", "hi", false), (artifact.Name, artifact.MediaType, artifact.Content, artifact.ForModel));
    }

    [Fact]
    public void Parse_IncorrectWithError_KeepsTheMessage()
    {
        var result = CommandResultParser.Parse("""{"correct": false, "error": "point 3 is outside"}""");

        Assert.False(result.Correct);
        Assert.Equal("point 3 is outside", result.Error);
    }

    [Theory]
    [InlineData("", "The evaluator command printed nothing; its last line must be a JSON result.")]
    [InlineData("{\"correct\": true}", "'score' must be a number when 'correct' is true.")]
    [InlineData("{\"score\": 1}", "The evaluator's result needs 'correct': true or false.")]
    [InlineData("{\"correct\": true, \"score\": 1, \"bonus\": 5}", "The evaluator's result has an unknown property 'bonus'; allowed: correct, score, metrics, features, artifacts, error.")]
    [InlineData("{\"correct\": true, \"score\": 1, \"metrics\": {\"m\": \"high\"}}", "'metrics.m' must be a finite number, not \"high\".")]
    [InlineData("{\"correct\": true, \"score\": 1, \"artifacts\": [{\"name\": \"x\"}]}", "'artifacts[0]' needs a string 'name' and a string 'content'.")]
    [InlineData("[1, 2]", "The evaluator's result must be a JSON object.")]
    public void Parse_MalformedResult_IsIncorrectWithAClearMessage(string stdout, string expected)
    {
        var result = CommandResultParser.Parse(stdout);

        Assert.False(result.Correct);
        Assert.Equal(expected, result.Error);
    }

    [Fact]
    public void Parse_PythonNaNLiteral_IsIncorrectAndExplained()
    {
        var result = CommandResultParser.Parse("""{"correct": true, "score": NaN}""");

        Assert.False(result.Correct);
        Assert.Contains("NaN and Infinity are not JSON", result.Error, StringComparison.Ordinal);
    }
}
