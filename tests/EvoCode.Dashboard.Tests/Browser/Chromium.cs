using Microsoft.Playwright;

namespace EvoCode.Dashboard.Tests.Browser;

/// <summary>
/// The Debian chromium driven by Playwright. Playwright's own browser download cannot work here (no internet),
/// so the system browser is launched by path; without it the tests fail, naming the package to install.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>Where screenshots are kept as test artifacts: TestResults/screenshots under the test output.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ExecutablePath}: the dashboard tests need a real browser. Install the Debian package: apt-get install -y chromium");
        }

        Directory.CreateDirectory(ScreenshotFolder);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>A fresh page on a laptop-sized screen that records failed requests and script errors.</summary>
    public async Task<BrowserPage> NewPageAsync(Uri server)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
        });
        context.SetDefaultTimeout(30_000);

        // Expectations wait as long as actions: CI runs every test module at once on 2 cores.
        Assertions.SetDefaultExpectTimeout(30_000);
        var page = await context.NewPageAsync();
        return new BrowserPage(context, page);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }
}
