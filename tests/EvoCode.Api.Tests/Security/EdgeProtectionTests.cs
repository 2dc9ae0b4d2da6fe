using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EvoCode.Api.Tests.Security;

/// <summary>What the edge refuses before a handler runs: no key, a foreign origin or host, a non-JSON body, too many requests, a bad configuration.</summary>
public sealed class EdgeProtectionTests
{
    private const string Key = "evo-edge-key-51c0";

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public async Task Writes_WithKeysConfiguredAndNoKey_Are401BeforeTheBodyIsReadOrItsTypeChecked()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["ApiKeys__Hashes__0"] = Hash(Key) }, ct);

        using var malformed = await server.Http.PostAsync("/api/problems", new StringContent("{ not json", Encoding.UTF8, "application/json"), ct);
        using var plain = await server.Http.PostAsync("/api/runs", new StringContent("hello", Encoding.UTF8, "text/plain"), ct);
        using var empty = await server.Http.PostAsync("/api/runs", null, ct);
        using var keyed = new HttpRequestMessage(HttpMethod.Post, "/api/runs") { Content = new StringContent("hello", Encoding.UTF8, "text/plain") };
        keyed.Headers.Add("X-Api-Key", Key);
        using var keyedPlain = await server.Http.SendAsync(keyed, ct);

        Assert.Equal(HttpStatusCode.Unauthorized, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, empty.StatusCode);
        Assert.Equal("application/problem+json", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, keyedPlain.StatusCode);
    }

    [Fact]
    public async Task KeylessServer_RefusesForeignOriginsHostsAndTextBodies_AndAllowsListedOrigins()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Api__AllowedOrigins__0"] = "https://lab.example" }, ct);
        var problem = JsonSerializer.Serialize(ApiServer.CirclePackingProblem("packing-edge"));

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/api/problems") { Content = new StringContent(problem, Encoding.UTF8, "text/plain") };
        crossSite.Headers.Add("Origin", "http://attacker.example");
        using var crossSiteResponse = await server.Http.SendAsync(crossSite, ct);
        using var textBody = await server.Http.PostAsync("/api/problems", new StringContent(problem, Encoding.UTF8, "text/plain"), ct);
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        rebound.Headers.Host = "attacker.example";
        using var reboundResponse = await server.Http.SendAsync(rebound, ct);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/problems");
        preflight.Headers.Add("Origin", "https://lab.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var preflightResponse = await server.Http.SendAsync(preflight, ct);
        using var sameOrigin = new HttpRequestMessage(HttpMethod.Get, "/api/problems");
        sameOrigin.Headers.Add("Origin", server.Http.BaseAddress!.GetLeftPart(UriPartial.Authority));
        using var sameOriginResponse = await server.Http.SendAsync(sameOrigin, ct);
        var problems = await server.GetAsync("/api/problems", ct);

        Assert.Equal(HttpStatusCode.Forbidden, crossSiteResponse.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, textBody.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reboundResponse.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, preflightResponse.StatusCode);
        Assert.Equal("https://lab.example", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.OK, sameOriginResponse.StatusCode);
        Assert.Equal(0, problems.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Requests_OverThePerKeyLimit_Are429WithRetryAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Api__RequestsPerMinute"] = "3" }, ct);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await server.Http.GetAsync("/api/runs", ct);
            statuses.Add(last.StatusCode);
        }

        using var otherKey = new HttpRequestMessage(HttpMethod.Get, "/api/runs");
        otherKey.Headers.Add("X-Api-Key", "another-client");
        using var otherKeyResponse = await server.Http.SendAsync(otherKey, ct);
        using var health = await server.Http.GetAsync("/healthz", ct);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var retryAfter = int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, otherKeyResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        last.Dispose();
    }

    [Fact]
    public async Task Server_WithAKeyWhereItsHashBelongs_ExitsWithStatus1AndSaysWhy()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("evocode-badhash-");
        try
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
            {
                WorkingDirectory = folder.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EvoCode.Api.dll"));
            info.ArgumentList.Add("--urls");
            info.ArgumentList.Add("http://127.0.0.1:0");
            info.Environment["ApiKeys__Hashes__0"] = Key;

            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = await process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);

            Assert.Equal(1, process.ExitCode);
            Assert.Contains("Every ApiKeys:Hashes entry must be a 64-character hex SHA-256 hash.", error, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, error + await output, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
