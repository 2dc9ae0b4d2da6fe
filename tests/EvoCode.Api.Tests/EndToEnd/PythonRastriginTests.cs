extern alias FakeLlm;

using System.Text.Json;
using FakeLlm::EvoCode.FakeLlm;

namespace EvoCode.Api.Tests.EndToEnd;

/// <summary>
/// The bundled Python example evolved by the real server: the real run loop, the real sandbox running python3,
/// the Python screen and the built-in operators chosen by the problem's language, offline and with the fake model.
/// </summary>
public sealed class PythonRastriginTests
{
    private const double SeedRastrigin = 131.25;

    [Fact]
    public async Task OfflineRun_PythonRastrigin_HalvesTheSeedsRastriginWithin40Evaluations()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var problem = await server.PostAsync("/api/problems/examples/python-rastrigin", new { }, ct);
        Assert.Equal("python", problem.GetProperty("language").GetString());

        var done = await RunAsync(server, problem, new { maxEvaluations = 40, islands = 1, seed = 5 }, ct);

        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal(40, done.GetProperty("evaluations").GetInt64());
        var seed = await ProgramAsync(server, done, 1, ct);
        Assert.Equal(-SeedRastrigin, seed.GetProperty("score").GetDouble(), 9);
        Assert.Equal("python", seed.GetProperty("language").GetString());

        // The language's own operators made the children, and the Python screen let them through to be evaluated.
        var page = await server.GetAsync($"/api/runs/{done.GetProperty("id").GetGuid()}/programs?pageSize=100", ct);
        var operators = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("operator").GetString()!).ToList();
        TestContext.Current.SendDiagnosticMessage($"Operators: {string.Join(", ", operators.CountBy(o => o))}; statistics: {done.GetProperty("statistics")}");
        Assert.Equal(40, operators.Count);
        Assert.Contains("literal", operators);
        Assert.Subset(new HashSet<string> { "seed", "literal", "duplicate-line", "delete-line", "swap-lines", "crossover" }, operators.ToHashSet());
        var best = done.GetProperty("bestScore").GetDouble();
        Assert.True(best >= -SeedRastrigin / 2, $"Best rastrigin {-best} is not below half the seed's {SeedRastrigin}.");
        var bestProgram = await server.GetAsync($"/api/programs/{done.GetProperty("bestProgramId").GetGuid()}", ct);
        Assert.Contains(bestProgram.GetProperty("operator").GetString(), (string[])["literal", "duplicate-line", "delete-line", "swap-lines", "crossover"]);
        Assert.Contains("# EVOLVE-BLOCK-START", bestProgram.GetProperty("source").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeModelRun_PythonRastrigin_PromptsNamePythonAndEditsApply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeLlmServer.StartAsync(cancellationToken: ct);
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["LanguageModels__Models__0__Name"] = "fake",
                ["LanguageModels__Models__0__Provider"] = "openai",
                ["LanguageModels__Models__0__Endpoint"] = fake.OpenAIEndpoint.ToString(),
                ["LanguageModels__Models__0__Model"] = "fake-model",
                ["LanguageModels__Models__0__InputPricePerMillion"] = "1.0",
                ["LanguageModels__Models__0__OutputPricePerMillion"] = "2.0",
                ["LanguageModels__Models__0__Timeout"] = "00:00:30",
            },
            ct);
        var problem = await server.PostAsync("/api/problems/examples/python-rastrigin", new { }, ct);

        var done = await RunAsync(
            server,
            problem,
            new { maxEvaluations = 10, islands = 1, seed = 3, models = new Dictionary<string, double> { ["fake"] = 1 }, operators = new Dictionary<string, double> { ["diff"] = 1, ["rewrite"] = 1 } },
            ct);

        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.Equal(10, done.GetProperty("evaluations").GetInt64());
        var page = await server.GetAsync($"/api/runs/{done.GetProperty("id").GetGuid()}/programs?pageSize=100", ct);
        var children = page.GetProperty("items").EnumerateArray().Where(p => p.GetProperty("operator").GetString() != "seed").ToList();
        Assert.Equal(9, children.Count);
        Assert.All(children, c => Assert.True(c.GetProperty("correct").GetBoolean(), $"Program {c.GetProperty("sequence")} failed."));
        Assert.Contains(children, c => c.GetProperty("operator").GetString() == "diff");
        Assert.Contains(children, c => c.GetProperty("operator").GetString() == "rewrite");

        var prompts = fake.Requests.Select(r => r.PromptText).Where(p => p.Contains("# Current program", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(prompts);
        Assert.All(prompts, p =>
        {
            Assert.Contains("expert Python programmer", p, StringComparison.Ordinal);
            Assert.Contains("```python\n", p, StringComparison.Ordinal);
            Assert.Contains("`# EVOLVE-BLOCK-START`", p, StringComparison.Ordinal);
            Assert.DoesNotContain("csharp", p, StringComparison.Ordinal);
        });
    }

    private static async Task<JsonElement> RunAsync(ApiServer server, JsonElement problem, object settings, CancellationToken ct)
    {
        var run = await server.PostAsync("/api/runs", new { problemId = problem.GetProperty("id").GetGuid(), name = "python", settings }, ct);
        var id = run.GetProperty("id").GetGuid();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
        while (true)
        {
            var current = await server.GetAsync($"/api/runs/{id}", ct);
            if (current.GetProperty("status").GetString() is not ("Pending" or "Running"))
            {
                return current;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The run is still {current.GetProperty("status")} after 8 minutes with {current.GetProperty("evaluations")} evaluations.\n{server.Process.Output}");
            await Task.Delay(250, ct);
        }
    }

    private static async Task<JsonElement> ProgramAsync(ApiServer server, JsonElement run, long sequence, CancellationToken ct)
    {
        var page = await server.GetAsync($"/api/runs/{run.GetProperty("id").GetGuid()}/programs?pageSize=100", ct);
        var summary = page.GetProperty("items").EnumerateArray().Single(p => p.GetProperty("sequence").GetInt64() == sequence);
        return await server.GetAsync($"/api/programs/{summary.GetProperty("id").GetGuid()}", ct);
    }
}
