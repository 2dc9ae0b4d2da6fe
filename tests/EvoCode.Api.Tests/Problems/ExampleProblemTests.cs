using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EvoCode.Api.Tests.Problems;

public sealed class ExampleProblemTests(SharedServer shared) : IClassFixture<SharedServer>
{
    [Fact]
    public async Task CreateExampleProblem_EightAtOnce_CreatesItOnceAndAnswersEveryRequestWithIt()
    {
        // Two dashboards opening the same example at once raced the unique problem name into a 500.
        var ct = TestContext.Current.CancellationToken;
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await shared.Server.Http.PostAsync("/api/problems/examples/circle-packing-26", null, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
            return (response.StatusCode, Id: JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid());
        }));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Single(answers.Select(a => a.Id).Distinct());
        var listed = await shared.Server.Http.GetFromJsonAsync<JsonElement>("/api/problems?pageSize=100", ct);
        Assert.Single(listed.GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetString() == "circle-packing-26");
    }
}
