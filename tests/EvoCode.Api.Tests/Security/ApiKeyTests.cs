using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;

namespace EvoCode.Api.Tests.Security;

public sealed class ApiKeyTests
{
    private const string Key = "evo-test-key-7d1f3a9c";

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public async Task WriteEndpoints_WithKeysConfigured_NeedAValidKeyAndReadsStayPublic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["ApiKeys__Hashes__0"] = Hash(Key) }, ct);
        var problem = ApiServer.CirclePackingProblem("packing-keys");

        using var without = await server.Http.PostAsJsonAsync("/api/problems", problem, ct);
        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/problems") { Content = JsonContent.Create(problem) };
        wrong.Headers.Add("X-Api-Key", Key + "x");
        using var wrongResponse = await server.Http.SendAsync(wrong, ct);
        using var right = new HttpRequestMessage(HttpMethod.Post, "/api/problems") { Content = JsonContent.Create(problem) };
        right.Headers.Add("X-Api-Key", Key);
        using var rightResponse = await server.Http.SendAsync(right, ct);
        using var read = await server.Http.GetAsync("/api/problems", ct);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, rightResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(Key, server.Process.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, await read.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadEndpoints_WithProtectReads_NeedAKeyButHealthzDoesNot()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(
            new Dictionary<string, string?> { ["ApiKeys__Hashes__0"] = Hash(Key), ["ApiKeys__ProtectReads"] = "true" },
            ct);

        using var anonymous = await server.Http.GetAsync("/api/runs", ct);
        using var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        withKey.Headers.Add("X-Api-Key", Key);
        using var keyed = await server.Http.SendAsync(withKey, ct);
        using var health = await server.Http.GetAsync("/healthz", ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task HashKeyCommand_PrintsTheSha256OfTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var info = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EvoCode.Api.dll"));
        info.ArgumentList.Add("hash-key");
        info.ArgumentList.Add(Key);

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Hash(Key), output.Trim());
    }
}
