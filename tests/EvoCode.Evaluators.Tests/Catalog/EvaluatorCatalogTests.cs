using System.Text.Json;
using EvoCode.Evaluators.Catalog;

namespace EvoCode.Evaluators.Tests.Catalog;

public sealed class EvaluatorCatalogTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Evaluators_ListsBuiltInAndCustomKindsWithParameters()
    {
        var ids = EvaluatorCatalog.Default.Evaluators.Select(e => e.Id).ToArray();

        Assert.Equal(["circle-packing", "min-max-distance-ratio", "heilbronn-triangle", "heilbronn-convex", "bin-packing", "csharp-script", "external-command"], ids);
        var packing = EvaluatorCatalog.Default.Find("circle-packing")!;
        var n = Assert.Single(packing.Parameters, p => p.Name == "n");
        Assert.Equal(("integer", 26, 2.0, 200.0), (n.Type, (int)n.Default!, n.Min!.Value, n.Max!.Value));
        Assert.Contains(packing.Published, p => p.Instance == "n=26" && p.Value == 2.6359830849176);
        Assert.All(EvaluatorCatalog.Default.Evaluators.Where(e => e.Kind == "built-in"), e => Assert.NotEmpty(e.Published));
    }

    [Fact]
    public void Evaluators_SerializeToJsonForTheApi()
    {
        var json = JsonSerializer.Serialize(EvaluatorCatalog.Default.Evaluators);

        Assert.Contains("\"Id\":\"bin-packing\"", json, StringComparison.Ordinal);
        Assert.Contains("\"AllowedValues\":[\"strict\",\"openevolve-1e-6\"]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_ValidParameters_ConfiguresTheInstance()
    {
        Assert.True(EvaluatorCatalog.Default.TryCreate("circle-packing", Json("""{"n": 32, "tolerance": "openevolve-1e-6"}"""), out var evaluator, out var errors), string.Join(";", errors.Keys));

        Assert.Equal("sum_radii", evaluator.Descriptor.PrimaryMetric);
        Assert.Equal("n=32", evaluator.Descriptor.Published!.Instance);
        Assert.Equal("openevolve-1e-6", evaluator.Descriptor.Settings["tolerance"]);
    }

    [Fact]
    public void TryCreate_NoParameters_UsesDefaults()
    {
        Assert.True(EvaluatorCatalog.Default.TryCreate("heilbronn-convex", default, out var evaluator, out _));

        Assert.Equal("13", evaluator.Descriptor.Settings["n"]);
    }

    [Fact]
    public void TryCreate_UnknownId_ReportsEvaluatorField()
    {
        Assert.False(EvaluatorCatalog.Default.TryCreate("circle-pack", default, out _, out var errors));

        var message = Assert.Single(errors["evaluator"]);
        Assert.StartsWith("Unknown evaluator 'circle-pack'. Known: circle-packing", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_BadParameters_ReportsEveryField()
    {
        Assert.False(EvaluatorCatalog.Default.TryCreate("circle-packing", Json("""{"n": 1000, "tolerance": "loose", "radius": 1}"""), out _, out var errors));

        Assert.Equal(["Must be between 2 and 200; got 1000."], errors["n"]);
        Assert.Equal(["Must be one of 'strict', 'openevolve-1e-6'; got 'loose'."], errors["tolerance"]);
        Assert.Equal(["Unknown parameter 'radius'."], errors["radius"]);
    }

    [Fact]
    public void TryCreate_WrongType_SaysWhatWasGiven()
    {
        Assert.False(EvaluatorCatalog.Default.TryCreate("min-max-distance-ratio", Json("""{"n": "sixteen"}"""), out _, out var errors));

        Assert.Equal(["Must be an integer, not the string \"sixteen\"."], errors["n"]);
    }

    [Fact]
    public void TryCreate_CommandWithoutScoreStep_ReportsNestedField()
    {
        Assert.False(EvaluatorCatalog.Default.TryCreate("external-command", Json("""{"run": {"command": "python3", "args": []}, "files": {"../x.py": ""}}"""), out _, out var errors));

        Assert.Equal(["Required."], errors["score"]);
        Assert.Equal(["Unknown parameter 'args'."], errors["run.args"]);
        Assert.Contains("files.../x.py", errors.Keys);
    }

    [Fact]
    public void TryCreate_ScriptWithoutScript_ReportsScriptField()
    {
        Assert.False(EvaluatorCatalog.Default.TryCreate("csharp-script", Json("""{"outputType": "matrix"}"""), out _, out var errors));

        Assert.Equal(["Required."], errors["script"]);
        Assert.Single(errors["outputType"]);
    }

    [Fact]
    public void Create_BadParameters_ThrowsWithFieldErrors()
    {
        var e = Assert.Throws<EvaluatorConfigurationException>(() => EvaluatorCatalog.Default.Create("bin-packing", Json("""{"datasets": "or1"}""")));

        Assert.Contains("datasets", e.Errors.Keys);
    }

    [Fact]
    public void Create_BinPackingBothDatasets_DeclaresTwoStagesWithTheThreshold()
    {
        var evaluator = EvaluatorCatalog.Default.Create("bin-packing", Json("""{"maxExcessToContinue": 7.5}"""));

        Assert.Equal(["or3", "weibull5k"], evaluator.Descriptor.Stages);
        Assert.Equal("excess_percent", evaluator.Descriptor.PrimaryMetric);
        Assert.Equal([-7.5, null], evaluator.Descriptor.Cascade.Select(s => s.Threshold));
        Assert.Equal(TimeSpan.FromSeconds(60), evaluator.Descriptor.DefaultLimits.WallTime);
    }

    [Fact]
    public void Create_CommandWithLimits_RecordsThemAsDefaultLimits()
    {
        var evaluator = EvaluatorCatalog.Default.Create("external-command", Json("""{"score": {"command": "python3"}, "timeoutSeconds": 5, "memoryMegabytes": 256}"""));

        Assert.Equal((TimeSpan.FromSeconds(5), 256L * 1024 * 1024), (evaluator.Descriptor.DefaultLimits.WallTime, evaluator.Descriptor.DefaultLimits.MemoryBytes));
    }

    [Fact]
    public void Evaluators_EveryPublishedValueNamesADeclaredMetric()
    {
        foreach (var info in EvaluatorCatalog.Default.Evaluators.Where(e => e.Kind == "built-in"))
        {
            var metrics = EvaluatorCatalog.Default.Create(info.Id).Descriptor.Metrics.Select(m => m.Name).ToHashSet();
            Assert.All(info.Published, p => Assert.Contains(p.Metric, metrics));
        }
    }

    [Fact]
    public void Create_EveryBuiltIn_DeclaresPrimaryMetricAndRegisteredHarnesses()
    {
        foreach (var info in EvaluatorCatalog.Default.Evaluators.Where(e => e.Kind == "built-in"))
        {
            var evaluator = Assert.IsType<EvoCode.Evaluators.Cascades.CascadeEvaluator>(EvaluatorCatalog.Default.Create(info.Id));
            Assert.Contains(evaluator.Descriptor.Metrics, m => m.Name == evaluator.Descriptor.PrimaryMetric);
            Assert.Equal(evaluator.Descriptor.Stages, evaluator.Descriptor.Cascade.Select(s => s.Name));
            Assert.All(evaluator.Stages, s => Assert.True(EvoCode.Evaluators.Contract.HarnessCatalog.TryGet(s.Harness, out _), s.Harness));
        }
    }

    [Fact]
    public void TryCreate_CustomFeatures_AreDeclaredWithBins()
    {
        Assert.True(EvaluatorCatalog.Default.TryCreate("external-command", Json("""{"score": {"command": "python3", "arguments": ["s.py"]}, "features": [{"name": "len", "min": 0, "max": 100, "bins": 20}]}"""), out var evaluator, out var errors), string.Join(";", errors.Keys));

        var feature = Assert.Single(evaluator.Descriptor.Features);
        Assert.Equal(("len", 0.0, 100.0, 20), (feature.Name, feature.Min, feature.Max, feature.Bins));
        Assert.Equal(["score"], evaluator.Descriptor.Stages);
    }
}
