using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvoCode.Dashboard.Tests.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EvoCode.Dashboard.Tests.Seeded;

/// <summary>
/// The dashboard over seeded runs of 150 and 100,000 programs: what the pages show is computed by the seeding,
/// so assertions are exact; the times and frame rates are written to the test output (bench/README.md), not asserted.
/// </summary>
public sealed partial class LongRunDashboardTests(SeededServer server, Chromium chromium) : IClassFixture<SeededServer>
{
    // Installed before the page's own scripts: on every change of the page, whether every part has drawn what the
    // store holds; the first time they all have is kept in window.__drawnAt (ms since navigation). Watching changes
    // in the page, instead of polling it from the test, keeps the test's own round trips out of the figure.
    private const string DrawnWatcher = """
        new MutationObserver((_, observer) => {
          if (window.__drawnAt === undefined && allDrawn(window.__expected)) { window.__drawnAt = performance.now(); observer.disconnect(); }
        }).observe(document, { subtree: true, childList: true, attributes: true });
        """;

    // True once every part of the run page has drawn what the store holds.
    private const string AllDrawn = """
        function allDrawn([evaluations, filled, shown]) {
          const q = (s) => document.querySelector(s);
          const done = q('#chart-best')?.dataset.evaluations === String(evaluations)
            && q('#chart-time path.series-best')
            && q('#archive')?.dataset.filled === String(filled)
            && q('canvas.lineage-canvas')?.dataset.shown === String(shown)
            && q('#top-programs table') && q('#operator-stats > *') && q('#chart-best-cost path.series-best')
            && q('#ensemble table') && q('#problem-task pre') && q('#run-cards')?.dataset.status;
          return !!done;
        }
        """;

    [Fact]
    public async Task RunPage_SeededRuns_DrawsEverythingFromTheWholeRunWithOneRequestPerResourceAndNoReplay()
    {
        foreach (var run in new[] { server.Small, server.Large })
        {
            await using var browser = await chromium.NewPageAsync(server.Address);
            var page = browser.Page;
            var inFlight = TrackRequests(page, out var most, out var urls);

            var expected = string.Create(CultureInfo.InvariantCulture, $"[{run.RealEvaluations}, {SeededRun.Elites}, {run.CollapsedNodes}]");
            await page.AddInitScriptAsync($"window.__expected = {expected};\n{AllDrawn}\n{DrawnWatcher}");
            await page.GotoAsync($"/#/runs/{run.RunId}");
            var drawn = await page.WaitForFunctionAsync("() => window.__drawnAt", null, new() { Timeout = 120_000, PollingInterval = 50 });
            var ms = (await drawn.JsonValueAsync<double>()).ToString("F0", CultureInfo.InvariantCulture);
            var slowest = await page.EvaluateAsync<string>("() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/')).sort((a, b) => b.duration - a.duration).slice(0, 5).map((e) => `${new URL(e.name).pathname.split('/').pop()} ${Math.round(e.startTime)}+${Math.round(e.duration)} ms ${Math.round(e.encodedBodySize / 1024)} KiB`).join(', ')");
            Record($"run page of {run.Programs} programs drawn {ms} ms after navigation; slowest requests (start+duration): {slowest}");
            await Chromium.ScreenshotAsync(page, $"run-{run.Programs}");
            using (var http = new HttpClient { BaseAddress = server.Address })
            {
                // The server while the page watches: the statistics the page polls, timed from outside.
                var clock = Stopwatch.StartNew();
                using var response = await http.GetAsync($"/api/runs/{run.RunId}/statistics", TestContext.Current.CancellationToken);
                Record($"statistics of {run.Programs} programs while the page watches: {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
            }


            await Expect(page.Locator("#chart-best")).ToHaveAttributeAsync("data-incorrect", run.IncorrectEvaluations.ToString(CultureInfo.InvariantCulture));
            await Expect(page.Locator("#chart-best path.dot-incorrect")).ToHaveCountAsync(1);
            await Expect(page.Locator("#card-best-score dd")).ToHaveTextAsync(run.Best.ToString("N0", CultureInfo.InvariantCulture));
            await Expect(page.Locator("#problem-target li").First).ToBeVisibleAsync();
            await Expect(page.Locator("#run-settings")).ToContainTextAsync("weighted");
            await Expect(page.Locator("#export-link")).ToHaveAttributeAsync("href", $"/api/runs/{run.RunId}/export");
            // The lineage drawn on open is the elites' ancestry, and only that travels: no whole tree on open.
            Assert.Equal([$"/api/runs/{run.RunId}/lineage?view=ancestry"], urls.Where(u => u.Contains("/lineage", StringComparison.Ordinal)).Select(PathAndQuery).Distinct().ToList());
            var events = urls.Where(u => u.Contains("/events", StringComparison.Ordinal)).ToList();
            if (run == server.Large)
            {
                // Paused: the stream is open, from the newest stored event (the two runs' events are numbered together).
                Assert.Equal([$"/api/runs/{run.RunId}/events?lastEventId={2 * SeededRun.Events}"], events.Select(PathAndQuery).Distinct().ToList());
            }
            else
            {
                Assert.Empty(events);
            }

            lock (inFlight)
            {
                Assert.True(most.Values.All(v => v == 1), "Requests in flight at once per resource: " + string.Join(", ", most.Select(p => $"{p.Key}={p.Value}")));
            }

            Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
        }
    }

    [Fact]
    public async Task Statistics_HundredThousandPrograms_CountsEvaluationsAsTheRunDoes()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var ct = TestContext.Current.CancellationToken;
        var run = server.Large;
        var timings = new List<long>();
        JsonElement stats = default;
        for (var k = 0; k < 4; k++)
        {
            var clock = Stopwatch.StartNew();
            stats = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/statistics", ct);
            timings.Add(clock.ElapsedMilliseconds);
        }

        Record($"statistics of {run.Programs} programs: {string.Join(", ", timings)} ms (first, then warm)");
        var best = stats.GetProperty("best").EnumerateArray().ToList();
        Assert.Equal(run.RealEvaluations, best[^1].GetProperty("evaluation").GetInt32());
        Assert.Equal(run.Best, best[^1].GetProperty("score").GetDouble());
        Assert.Equal(2000, stats.GetProperty("scores").GetArrayLength());

        var series = await http.GetFromJsonAsync<JsonElement>($"/api/runs/{run.RunId}/series?metric=sum_radii", ct);
        Assert.Equal(run.RealEvaluations, series.GetProperty("evaluations").GetInt32());
        Assert.Equal(run.IncorrectEvaluations, series.GetProperty("incorrectEvaluations").GetInt32());
        Assert.Equal(["score", "sum_radii"], series.GetProperty("metrics").EnumerateArray().Select(m => m.GetString()).ToList());
        Assert.Equal(run.Best / 10.0, series.GetProperty("correct").EnumerateArray().Max(p => p.GetProperty("value").GetDouble()), 9);
        Assert.Equal(2 * SeededRun.Events, series.GetProperty("lastEventId").GetInt64());
    }

    [Fact]
    public async Task Lineage_HundredThousandPrograms_CollapsesToTheElitesAncestryExpandsOnDemandAndPans()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var run = server.Large;
        await page.GotoAsync($"/#/runs/{run.RunId}");
        var canvas = page.Locator("canvas.lineage-canvas");
        await Expect(canvas).ToHaveAttributeAsync("data-shown", run.CollapsedNodes.ToString(CultureInfo.InvariantCulture), new() { Timeout = 120_000 });
        await Expect(canvas).ToHaveAttributeAsync("data-total", run.Programs.ToString(CultureInfo.InvariantCulture));

        await canvas.ScrollIntoViewIfNeededAsync();
        var box = (await canvas.BoundingBoxAsync())!;
        await page.EvaluateAsync("() => performance.clearMeasures('lineage-paint')");
        var clock = Stopwatch.StartNew();
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        for (var k = 1; k <= 60; k++)
        {
            await page.Mouse.MoveAsync(box.X + box.Width / 2 + (k * 4), box.Y + box.Height / 2 + (k % 10));
        }

        await page.Mouse.UpAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var paints = await page.EvaluateAsync<int>("() => performance.getEntriesByName('lineage-paint').length");
        var slowest = await page.EvaluateAsync<double>("() => Math.max(...performance.getEntriesByName('lineage-paint').map((e) => e.duration))");
        Record($"lineage pan over {run.CollapsedNodes} shown of {run.Programs}: {paints} frames in {seconds:F2} s = {paints / seconds:F1} frames/s; slowest frame {slowest:F1} ms");
        Assert.True(paints > 0, "The lineage was not repainted during the drag.");

        // Expanding the seed's children shows them; showing all lays out every program.
        await canvas.FocusAsync();
        await page.Keyboard.PressAsync("ArrowLeft");
        await Expect(page.Locator(".lineage [role=status]")).ToContainTextAsync("generation 0");
        await page.Keyboard.PressAsync("e");
        var seedChildren = Enumerable.Range(0, run.Programs).Count(i => SeededRun.Parent(i) == 0);
        // The children come with the whole tree, fetched on demand (megabytes at this size).
        await Expect(page.Locator(".lineage [role=status]")).ToContainTextAsync($"Its {seedChildren} children are shown.", new() { Timeout = 120_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Show all programs" }).ClickAsync();
        await Expect(canvas).ToHaveAttributeAsync("data-shown", run.Programs.ToString(CultureInfo.InvariantCulture), new() { Timeout = 60_000 });
        await page.GetByLabel("Colour the lineage by").SelectOptionAsync("island");
        await Chromium.ScreenshotAsync(page, "lineage-100000-all-by-island");
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task Programs_SearchSortFilterPageAndCompare_ShowExactlyTheMatchingPrograms()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var run = server.Small;
        await page.GotoAsync($"/#/runs/{run.RunId}/programs");
        var table = page.Locator("#programs-table");
        await Expect(table).ToHaveAttributeAsync("data-total", run.Programs.ToString(CultureInfo.InvariantCulture));
        // Sorted by score, best first.
        await Expect(table.Locator("tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync($"#{run.Best + 1}");

        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(SeededRun.Needle);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(table).ToHaveAttributeAsync("data-total", run.NeedleCount.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("model-b");
        await page.GetByLabel("Correct", new() { Exact = true }).SelectOptionAsync("false");
        var expected = Enumerable.Range(0, run.Programs).Count(i => SeededRun.IsIncorrect(i) && i % 2 == 1);
        await Expect(table).ToHaveAttributeAsync("data-total", expected.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("Model", new() { Exact = true }).FillAsync("");
        await page.GetByLabel("Correct", new() { Exact = true }).SelectOptionAsync("");
        await Expect(table).ToHaveAttributeAsync("data-total", run.Programs.ToString(CultureInfo.InvariantCulture));

        await page.GetByRole(AriaRole.Button, new() { Name = "Generation" }).ClickAsync();
        await Expect(table.Locator("tbody tr").First.Locator("td").Nth(6)).ToHaveTextAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Expect(page.Locator("#programs-status")).ToContainTextAsync("page 2 of 3");

        await page.GetByRole(AriaRole.Checkbox).Nth(0).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox).Nth(1).CheckAsync();
        await page.Locator("#compare-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(CompareUrl());
        await Expect(page.Locator("#compare-metrics")).ToContainTextAsync("sum_radii");
        await Expect(page.Locator("#compare-diff td.del").First).ToBeVisibleAsync();
        await Expect(page.Locator("#compare-diff td.add").First).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "compare");
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task ProgramPage_BestProgram_ShowsEveryTurnOfItsConversationAsTextWithNulAndAstralCharactersWhole()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var run = server.Small;
        await page.GotoAsync($"/#/programs/{run.Ids[run.Best]}");

        var turns = page.Locator("#conversation li.turn");
        await Expect(turns).ToHaveCountAsync(SeededRun.Conversation.Count);
        var prompts = await page.Locator("#conversation .turn-prompt").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)");
        var replies = await page.Locator("#conversation .turn-reply").EvaluateAllAsync<string[]>("els => els.map(e => e.textContent)");
        var outcomes = await turns.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.outcome)");

        Assert.Equal(SeededRun.Conversation.Select(t => t.Prompt), prompts);
        Assert.Equal([SeededRun.Conversation[0].Reply!, "fixed \U0001F4A1 \uFFFD end"], replies);
        Assert.Equal(["ok", "timeout", "ok"], outcomes);
        await Expect(turns.Nth(0)).ToContainTextAsync("edit: edit-failed: block 1 not found");
        await Expect(turns.Nth(2)).ToContainTextAsync("(estimated)");
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__injected ?? null"));
        Assert.Equal(0, await page.Locator("#conversation script, #conversation b").CountAsync());
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task Charts_HoverClickOrKeys_OpenThePointsProgram_AndTheBestSourceDownloads()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var run = server.Small;
        await page.GotoAsync($"/#/runs/{run.RunId}");
        var chart = page.Locator("#chart-best svg");
        await Expect(page.Locator("#chart-best")).ToHaveAttributeAsync("data-evaluations", run.RealEvaluations.ToString(CultureInfo.InvariantCulture));

        // Hovering near the top right names a program there; clicking opens the one named.
        var box = (await chart.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 30, box.Y + 30);
        await Expect(chart).ToHaveAttributeAsync("data-hover", new Regex("^[0-9a-f-]{36}$"));
        var hovered = await chart.GetAttributeAsync("data-hover");
        await page.Mouse.ClickAsync(box.X + box.Width - 30, box.Y + 30);
        await Expect(page).ToHaveURLAsync(new Regex($"#/programs/{hovered}$"));

        // From the keyboard: End goes to the last evaluation's point, which is the best program; Enter opens it.
        await page.GoBackAsync();
        await Expect(page.Locator("#chart-best")).ToHaveAttributeAsync("data-evaluations", run.RealEvaluations.ToString(CultureInfo.InvariantCulture));
        await chart.FocusAsync();
        await page.Keyboard.PressAsync("End");
        await Expect(chart).ToHaveAttributeAsync("data-hover", run.Ids[run.Best].ToString());
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"#/programs/{run.Ids[run.Best]}$"));

        await page.GotoAsync($"/#/runs/{run.RunId}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download-best").ClickAsync());
        var path = await download.PathAsync();
        Assert.Equal(SeededRun.Source(run.Best), await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task Export_FromTheRunPage_DownloadsEveryProgramAsJsonLines()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var run = server.Small;
        await page.GotoAsync($"/#/runs/{run.RunId}");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-link").ClickAsync());
        Assert.Equal($"run-{run.RunId}.jsonl", download.SuggestedFilename);
        var lines = await File.ReadAllLinesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("run", parsed[0].GetProperty("kind").GetString());
        Assert.Equal(run.RunId, parsed[0].GetProperty("run").GetProperty("id").GetGuid());
        var programs = parsed.Where(l => l.GetProperty("kind").GetString() == "program").Select(l => l.GetProperty("program")).ToList();
        Assert.Equal(run.Ids.Order(), programs.Select(p => p.GetProperty("id").GetGuid()).Order());
        Assert.All(programs, p => Assert.Equal(SeededRun.Source(p.GetProperty("sequence").GetInt32() - 1), p.GetProperty("source").GetString()));
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task Phone_390PixelsWide_NoPageIsWiderThanTheScreen()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        await page.SetViewportSizeAsync(390, 844);
        var run = server.Small;
        var pages = new (string Url, string Ready)[]
        {
            ("/#/", "table[aria-label=Runs] tbody tr"),
            ($"/#/runs/{run.RunId}", "#top-programs table"),
            ($"/#/runs/{run.RunId}/programs", "#programs-table table"),
            ($"/#/programs/{run.Ids[run.Best]}", "#program-score"),
            ($"/#/compare/{run.Ids[run.Best - 1]}/{run.Ids[run.Best]}", "#compare-diff"),
        };
        foreach (var (url, ready) in pages)
        {
            await page.GotoAsync(url);
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            await page.WaitForTimeoutAsync(1000);
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var wide = width == 390 ? "" : await page.EvaluateAsync<string>(WidestElements);
            await Chromium.ScreenshotAsync(page, "phone-" + PageName().Replace(url, "-").Trim('-'));
            Assert.True(width == 390, $"{url} is {width} px wide at a 390 px screen: {wide}");
        }

        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    // For a failure message: the innermost elements that reach past the screen's right edge.
    private const string WidestElements = """
        () => [document.body, ...document.querySelectorAll('body *')]
          .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible' && e.clientWidth > 0)
          .slice(0, 8).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className?.baseVal ?? e.className} ${e.clientWidth}/${e.scrollWidth}`).join('; ')
        """;

    /// <summary>Counts requests in flight per resource (path without query), keeping the most seen at once.</summary>
    private static object TrackRequests(IPage page, out Dictionary<string, int> most, out List<string> urls)
    {
        var gate = new object();
        var now = new Dictionary<string, int>();
        var peak = new Dictionary<string, int>();
        var seen = new List<string>();
        most = peak;
        urls = seen;
        static string Key(IRequest r) => new Uri(r.Url).AbsolutePath;
        page.Request += (_, r) =>
        {
            if (!r.Url.Contains("/api/", StringComparison.Ordinal))
            {
                return;
            }

            lock (gate)
            {
                seen.Add(r.Url);
                now[Key(r)] = now.GetValueOrDefault(Key(r)) + 1;
                peak[Key(r)] = Math.Max(peak.GetValueOrDefault(Key(r)), now[Key(r)]);
            }
        };
        void Done(IRequest r)
        {
            lock (gate)
            {
                if (now.TryGetValue(Key(r), out var n))
                {
                    now[Key(r)] = n - 1;
                }
            }
        }

        page.RequestFinished += (_, r) => Done(r);
        page.RequestFailed += (_, r) => Done(r);
        return gate;
    }

    /// <summary>Writes a measurement to the test output and to TestResults/measurements.txt (for bench/README.md).</summary>
    private static void Record(string line)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        lock (typeof(LongRunDashboardTests))
        {
            File.AppendAllText(Path.Combine(Chromium.ScreenshotFolder, "..", "measurements.txt"), $"{DateTimeOffset.UtcNow:u} {line}{Environment.NewLine}");
        }
    }

    private static string PathAndQuery(string url) => new Uri(url).PathAndQuery;

    [GeneratedRegex("#/compare/[0-9a-f-]+/[0-9a-f-]+$")]
    private static partial Regex CompareUrl();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex PageName();
}
