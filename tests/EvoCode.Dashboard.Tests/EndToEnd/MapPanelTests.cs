using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Dashboard.Tests.Browser;
using EvoCode.Dashboard.Tests.Hosting;
using static Microsoft.Playwright.Assertions;

namespace EvoCode.Dashboard.Tests.EndToEnd;

/// <summary>Issue 19.2: the run page's map by meaning, in a real Chromium, for a short real run that stores embeddings.</summary>
public sealed class MapPanelTests(DashboardServer server, Chromium chromium)
{
    [Fact]
    public async Task RunPage_RunWithEmbeddings_DrawsEveryEmbeddedProgramInFiveScoreBands()
    {
        var ct = TestContext.Current.CancellationToken;
        var runId = await server.RunExampleAsync("map", new { maxEvaluations = 12, islands = 1, targetScore = (double?)null, semanticSimilarityThreshold = 0.9999 }, ct);
        using var http = new HttpClient { BaseAddress = server.Address };
        var map = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/map", ct);
        var points = map.GetProperty("points").EnumerateArray().ToList();
        Assert.True(points.Count >= 1);

        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        await page.GotoAsync($"/#/runs/{runId}");

        var chart = page.Locator("#chart-map");
        await Expect(chart).ToHaveAttributeAsync("data-points", points.Count.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Expect(page.Locator("#map-summary")).ToHaveTextAsync($"{points.Count} programs with an embedding.");

        // One path per band: the incorrect programs, then five bands of equal count over the correct ones' scores.
        var correct = points.Count(p => p.GetProperty("correct").ValueKind == JsonValueKind.True && p.GetProperty("score").ValueKind == JsonValueKind.Number);
        var drawn = await chart.EvaluateAsync<int[]>("""
            c => ['map-incorrect', 'map-q0', 'map-q1', 'map-q2', 'map-q3', 'map-q4']
              .map(k => [...c.querySelectorAll(`path.${k}`)].reduce((n, p) => n + (p.getAttribute('d').match(/M/g) ?? []).length, 0))
            """);
        int[] expected = [points.Count - correct, .. Enumerable.Range(0, 5).Select(i => ((i + 1) * correct / 5) - (i * correct / 5))];
        Assert.Equal(expected, drawn);
        Assert.False(await page.Locator("#chart-front").IsVisibleAsync());
        await Chromium.ScreenshotAsync(page, "map-by-meaning");
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }
}
