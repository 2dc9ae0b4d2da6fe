using System.Net;
using System.Text.Json;

namespace EvoCode.Api.Tests.Health;

/// <summary>The published server warms its hot paths at start and says so in /health/ready without going unready for it.</summary>
public sealed class WarmupTests
{
    [Fact]
    public async Task Ready_WhileTheServerWarms_StaysReadyAndReportsTheWarmupUntilDone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(cancellationToken: ct);
        var deadline = TimeProvider.System.GetUtcNow().AddMinutes(5);
        var seen = new List<string>();
        JsonElement warmup;
        while (true)
        {
            using var response = await server.Http.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
            var checks = body.GetProperty("checks");
            warmup = checks.GetProperty("warmup");
            var state = warmup.GetProperty("data").GetProperty("state").GetString()!;
            seen.Add(state);

            // The warm-up alone never makes the server unready: with every other check healthy it answers 200.
            if (checks.EnumerateObject().Where(c => c.Name != "warmup").All(c => c.Value.GetProperty("status").GetString() == "healthy"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            if (state != "pending" && state != "warming")
            {
                break;
            }

            Assert.Equal("degraded", warmup.GetProperty("status").GetString());
            Assert.True(TimeProvider.System.GetUtcNow() < deadline, $"Still warming after 5 minutes: {warmup}\n{server.Process.Output}");
            await Task.Delay(200, ct);
        }

        // 8 C# examples; Sandbox:WarmupCompiles (8) checks for each default worker: one per core, plus the compile lane's.
        var checksSent = 8 * (Math.Clamp(Environment.ProcessorCount, 1, 64) + 1);
        Assert.Equal("done", warmup.GetProperty("data").GetProperty("state").GetString());
        Assert.Equal("healthy", warmup.GetProperty("status").GetString());
        Assert.Equal($"Warm: 10 example seeds through the languages, the store, {checksSent} compile checks in the sandbox.", warmup.GetProperty("description").GetString());
        Assert.True(warmup.GetProperty("data").GetProperty("milliseconds").GetDouble() > 0, warmup.ToString());
        // The whole log, not its last lines (the store's commands are logged too), and a moment for the line to
        // arrive: the console logger writes after the status has changed.
        var logged = TimeProvider.System.GetUtcNow() + TimeSpan.FromSeconds(10);
        while (!server.Process.Log.Contains("Server warm-up done", StringComparison.Ordinal) && TimeProvider.System.GetUtcNow() < logged)
        {
            await Task.Delay(100, ct);
        }

        Assert.Contains("Server warm-up done", server.Process.Log, StringComparison.Ordinal);
    }
}
