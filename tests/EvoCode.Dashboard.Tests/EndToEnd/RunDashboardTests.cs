using System.Text.Json;
using System.Text.RegularExpressions;
using EvoCode.Dashboard.Tests.Browser;
using EvoCode.Dashboard.Tests.Hosting;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EvoCode.Dashboard.Tests.EndToEnd;

/// <summary>
/// The dashboard in a real Chromium against the real server: runs of the circle-packing-26 example with the
/// offline operators, started through the UI. Screenshots go to TestResults/screenshots under the test output.
/// </summary>
public sealed partial class RunDashboardTests(DashboardServer server, Chromium chromium)
{
    private const string Example = "circle-packing-26";

    // Records every redraw of the chart, the archive and the summary, so a test can tell it watched them change.
    private const string RedrawRecorder = """
        window.__redraws = { lastEvaluation: [], filled: [], evaluations: [] };
        new MutationObserver((records) => {
          for (const r of records) {
            const value = Number(r.target.getAttribute(r.attributeName));
            if (r.attributeName === 'data-last-evaluation') window.__redraws.lastEvaluation.push(value);
            if (r.attributeName === 'data-filled') window.__redraws.filled.push(value);
            if (r.attributeName === 'data-evaluations') window.__redraws.evaluations.push(value);
          }
        }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-last-evaluation', 'data-filled', 'data-evaluations'] });
        """;

    private static readonly LocatorAssertionsToHaveAttributeOptions s_runEnds = new() { Timeout = 180_000 };
    private static readonly PageGetByLabelOptions s_exact = new() { Exact = true };

    [Fact]
    public async Task StartRun_FromCirclePackingExample_ChartAndGridUpdateAndTheBestProgramShowsItsSvg()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        await page.AddInitScriptAsync(RedrawRecorder);

        var runPage = await StartRunAsync(page, UniqueName("e2e circle packing"), maxEvaluations: 30);
        await Expect(page.Locator("#chart-best path.series-best")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("#archive .cell.filled").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Chromium.ScreenshotAsync(page, "run-live");

        await ExpectRunEndsAsync(page, "completed");
        await Expect(page.Locator("#card-evaluations")).ToContainTextAsync("30 / 30");
        var redraws = await page.EvaluateAsync<JsonElement>("() => window.__redraws");
        var covered = Numbers(redraws, "lastEvaluation");
        var filled = Numbers(redraws, "filled");
        Assert.True(covered.Count >= 2 && covered.Max() > covered.Min(), $"The chart of the best score never grew while watched: [{string.Join(", ", covered)}]");
        Assert.True(filled.Count >= 2 && filled[^1] > 0, $"The archive grid was not redrawn with elites while watched: [{string.Join(", ", filled)}]");
        await Expect(page.Locator("#chart-time path.series-best")).ToBeVisibleAsync();
        await ExpectTimeSplitAsync(page, runPage[(runPage.LastIndexOf('/') + 1)..]);
        await Chromium.ScreenshotAsync(page, "run-completed");

        var bestScore = (await page.Locator("#card-best-score dd").InnerTextAsync()).Trim();
        await page.Locator("#best-program-link").ClickAsync();
        await Expect(page).ToHaveURLAsync(ProgramUrl());
        var svg = page.Locator("img.artifact-svg");
        await Expect(svg).ToBeVisibleAsync();
        Assert.True(await svg.EvaluateAsync<bool>("img => img.decode().then(() => img.naturalWidth > 0)"), "The circle packing SVG did not render.");
        await Expect(page.Locator("#program-score")).ToHaveTextAsync(bestScore);

        // The best of 30 evaluations is a child; its change note is derived from its diff (built-in operators give no reply).
        await Expect(page.Locator("#program-change")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^[a-z-]+: \d+ lines? changed \(\+\d+ -\d+\)"));
        await Expect(page.Locator("pre.code, pre.diff")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(page, "best-program");

        var outside = browser.Requests.Where(url => !url.StartsWith(server.Address.ToString(), StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(outside.Count == 0, "The dashboard fetched from outside the server: " + string.Join(", ", outside));
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task RunControls_PauseResumeCancel_StatusFollowsOnTheRunPageAndTheList()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        var name = UniqueName("e2e controls");

        await StartRunAsync(page, name, maxEvaluations: 1000);
        var cards = page.Locator("#run-cards");
        await Expect(cards).ToHaveAttributeAsync("data-status", "running", new() { Timeout = 60_000 });

        await page.GetByRole(AriaRole.Button, new() { Name = $"Pause {name}" }).ClickAsync();
        await Expect(cards).ToHaveAttributeAsync("data-status", "paused");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Resume {name}" }).ClickAsync();
        await Expect(cards).ToHaveAttributeAsync("data-status", RunningAgain());
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel {name}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = $"Cancel {name}?" });
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
        await Expect(confirm).ToBeHiddenAsync();
        await Expect(cards).ToHaveAttributeAsync("data-status", RunningAgain());
        await page.GetByRole(AriaRole.Button, new() { Name = $"Cancel {name}" }).ClickAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel the run" }).ClickAsync();
        await Expect(cards).ToHaveAttributeAsync("data-status", "cancelled");

        await page.GetByRole(AriaRole.Link, new() { Name = "Runs", Exact = true }).First.ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("cancelled");
        await Chromium.ScreenshotAsync(page, "runs-list");
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task RunPage_KeyboardOnly_OpensAnEliteFromTheGridAndTheBestFromTheLineage()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;

        var runUrl = await StartRunAsync(page, UniqueName("e2e keyboard"), maxEvaluations: 12);
        await ExpectRunEndsAsync(page, "completed");
        await Expect(page.GetByRole(AriaRole.Main)).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        await Expect(page.Locator("#archive .cell.filled").First).ToBeVisibleAsync();

        await TabToAsync(page, "el => el.getAttribute('role') === 'gridcell'");
        await Expect(page.Locator(":focus")).ToHaveAttributeAsync("aria-label", new Regex("^Island \\d+, .*: elite with score"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(ProgramUrl());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex("^Program #\\d+$"));

        await page.GotoAsync(runUrl);
        var bestLink = await page.Locator("#best-program-link").GetAttributeAsync("href");
        await Expect(page.Locator("canvas.lineage-canvas")).ToBeVisibleAsync();
        await Expect(page.Locator("#best-path li").First).ToBeAttachedAsync();
        await TabToAsync(page, "el => el.tagName === 'CANVAS'");
        await page.Keyboard.PressAsync("b");
        await Expect(page.Locator(".lineage [role=status]")).ToContainTextAsync("on the path to the best");
        await Chromium.ScreenshotAsync(page, "lineage-keyboard");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(ProgramUrl());
        Assert.EndsWith(bestLink!, page.Url, StringComparison.Ordinal);
        Assert.True(browser.Errors.Count == 0, "Script errors: " + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task StartForm_IslandsOutOfRange_ShowsTheApiFieldErrorUnderTheField()
    {
        await using var browser = await chromium.NewPageAsync(server.Address);
        var page = browser.Page;
        await page.GotoAsync("/");
        await page.GetByLabel("Start from", s_exact).SelectOptionAsync("example");
        await Expect(page.Locator($"#start-example option[value='{Example}']")).ToBeAttachedAsync();
        await page.GetByLabel("Example", s_exact).SelectOptionAsync(Example);
        await page.GetByLabel("Islands", s_exact).FillAsync("100");
        await page.GetByLabel("Max cost (dollars)", s_exact).FillAsync("2.5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        await Expect(page.Locator("#start-islands-error")).ToContainTextAsync("64");
        await Expect(page.GetByLabel("Islands", s_exact)).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#start-status")).ToContainTextAsync("See the fields marked below.");
        await Chromium.ScreenshotAsync(page, "start-form-errors");
    }

    /// <summary>Starts a run of the example from the runs page and returns the run page's address.</summary>
    private async Task<string> StartRunAsync(IPage page, string name, int maxEvaluations)
    {
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs", Exact = true, Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Start from", s_exact).SelectOptionAsync("example");
        await Expect(page.Locator($"#start-example option[value='{Example}']")).ToBeAttachedAsync();
        await page.GetByLabel("Example", s_exact).SelectOptionAsync(Example);
        await page.GetByLabel("Run name", s_exact).FillAsync(name);
        await page.GetByLabel("Max evaluations", s_exact).FillAsync(maxEvaluations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Islands", s_exact).FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start run" }).ClickAsync();
        try
        {
            await Expect(page).ToHaveURLAsync(RunUrl(), new() { Timeout = 30_000 });
        }
        catch (PlaywrightException e)
        {
            var said = await page.Locator("#start-status").InnerTextAsync();
            throw new InvalidOperationException($"The run did not start; the page said: {said}\nServer log:\n{server.Output}", e);
        }

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        return page.Url;
    }

    private async Task ExpectRunEndsAsync(IPage page, string status)
    {
        try
        {
            await Expect(page.Locator("#run-cards")).ToHaveAttributeAsync("data-status", status, s_runEnds);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"The run did not end {status}. Server log:\n{server.Output}", e);
        }
    }

    /// <summary>
    /// "Where the time went" shows the run statistics' parts in a program's order, and its "All parts" share of the
    /// active time is the one the API's figures give (the parts cover at least 95 % of it, issue 23).
    /// </summary>
    private static async Task ExpectTimeSplitAsync(IPage page, string runId)
    {
        string[] parts = ["startMs", "selectMs", "proposeMs", "screenMs", "storeMs", "queueMs", "compileMs", "runMs", "scoreMs", "commitMs"];
        var time = (await page.EvaluateAsync<JsonElement>($"() => fetch('/api/runs/{runId}/statistics').then(r => r.json())")).GetProperty("time");
        var active = time.GetProperty("activeMs").GetDouble();
        var total = parts.Sum(p => time.GetProperty(p).GetDouble());
        Assert.InRange(total / active, 0.95, 1.0);

        var rows = page.Locator("#time-split tr[data-part]");
        await Expect(rows).ToHaveCountAsync(parts.Length + 2);
        var shown = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.part)");
        Assert.Equal([.. parts, "totalMs", "activeMs"], shown);
        var share = (100 * total / active).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " %";
        await Expect(page.Locator("#time-split tr[data-part='totalMs'] td:nth-of-type(3)")).ToHaveTextAsync(share);
    }

    /// <summary>Presses Tab until the focused element matches, as a keyboard user would.</summary>
    private static async Task TabToAsync(IPage page, string predicate)
    {
        for (var i = 0; i < 200; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>($"() => ({predicate})(document.activeElement)"))
            {
                return;
            }
        }

        Assert.Fail("Tab never reached an element matching " + predicate);
    }

    private static string UniqueName(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..6]}";

    private static List<double> Numbers(JsonElement redraws, string name) =>
        [.. redraws.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    [GeneratedRegex("#/runs/[0-9a-fA-F-]+$")]
    private static partial Regex RunUrl();

    [GeneratedRegex("#/programs/[0-9a-fA-F-]+$")]
    private static partial Regex ProgramUrl();

    [GeneratedRegex("^(running|pending)$")]
    private static partial Regex RunningAgain();
}
