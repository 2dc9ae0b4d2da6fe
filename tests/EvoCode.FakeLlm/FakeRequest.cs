using System.Text.Json.Nodes;

namespace EvoCode.FakeLlm;

/// <summary>A request the fake server received, for tests to assert what was sent.</summary>
/// <param name="Provider">openai, azure or ollama (by the path it came to).</param>
/// <param name="Path">The request path.</param>
/// <param name="Query">The query string, with its '?'.</param>
/// <param name="Headers">Request headers (first value of each).</param>
/// <param name="Body">The JSON body.</param>
/// <param name="Model">The model, or the deployment for azure.</param>
/// <param name="Stream">Whether a streamed answer was asked for.</param>
/// <param name="Messages">The messages' (role, content), in order.</param>
public sealed record FakeRequest(
    string Provider,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonNode Body,
    string Model,
    bool Stream,
    IReadOnlyList<(string Role, string Content)> Messages)
{
    /// <summary>All message contents joined, to search for what a prompt contained.</summary>
    public string PromptText => string.Join("\n", Messages.Select(m => m.Content));
}
