using System.Net.Http.Json;
using System.Text.Json;
using EvoCode.Dashboard.Tests.Browser;
using EvoCode.Dashboard.Tests.Hosting;
using static Microsoft.Playwright.Assertions;

namespace EvoCode.Dashboard.Tests.EndToEnd;

/// <summary>Issue 19.1: the run page's Pareto front panel, in a real Chromium, for a short real run with two objectives.</summary>
public sealed class ParetoFrontPanelTests(DashboardServer server, Chromium chromium)
{
    [Fact]
    public async Task RunPage_TwoObjectiveRun_DrawsExactlyTheFrontsPointsAndOpensOneOnClick()
    {
        var ct = TestContext.Current.CancellationToken;
        var objectives = new[] { new { metric = "score", goal = "maximize" }, new { metric = "length", goal = "minimize" } };
        var runId = await server.RunExampleAsync("front", new { maxEvaluations = 12, islands = 1, targetScore = (double?)null, objectives, frontSize = 64 }, ct);
        using var http = new HttpClient { BaseAddress = server.Address };
        var front = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/front", ct);
        var expected = front.GetProperty("front").GetArrayLength();
        var points = front.GetProperty("points").GetArrayLength();
        Assert.True(expected >= 1);

        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        await page.GotoAsync($"/#/runs/{runId}");

        var chart = page.Locator("#chart-front");
        await Expect(chart).ToHaveAttributeAsync("data-front-points", expected.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Expect(chart).ToHaveAttributeAsync("data-points", points.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(chart.Locator("circle.front-point")).ToHaveCountAsync(expected);
        await Expect(page.Locator("#front-summary")).ToContainTextAsync($"{expected} programs on the front");
        await Chromium.ScreenshotAsync(page, "pareto-front");

        // A click on a front point opens the program nearest to it: that one, or a program drawn at the same place.
        var first = chart.Locator("circle.front-point").First;
        var id = Guid.Parse((await first.GetAttributeAsync("data-id"))!);
        var at = Values(front.GetProperty("front").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == id));
        await first.ScrollIntoViewIfNeededAsync();
        var box = (await first.BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/programs/[0-9a-fA-F-]+$"));
        var opened = Guid.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..]);
        var same = front.GetProperty("points").EnumerateArray().Where(p => Values(p).SequenceEqual(at)).Select(p => p.GetProperty("id").GetGuid()).Append(id);
        Assert.Contains(opened, same);
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    private static double[] Values(JsonElement program) => [.. program.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];
}
