using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using EvoCode.Evolver.Telemetry;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// Builds the provider client of one model on top of the packages Semantic Kernel's connectors bring
/// (OpenAI, Azure.AI.OpenAI) and OllamaSharp. The SDKs' own retries are switched off: the only retry
/// layer is <see cref="LanguageModel"/>.
/// </summary>
internal static class ChatClientFactory
{
    // A placeholder for OpenAI-compatible local servers that take no key; the SDK refuses an empty credential.
    private const string NoKey = "no-key";

    /// <summary>The provider's client, traced: each call is a span with the model and its token counts (never the prompt or the reply).</summary>
    public static IChatClient Create(LanguageModelDefinition model, string? apiKey, HttpClient http) =>
        CreateProvider(model, apiKey, http).AsBuilder().UseOpenTelemetry(sourceName: EvoCodeTelemetry.Name).Build();

    private static IChatClient CreateProvider(LanguageModelDefinition model, string? apiKey, HttpClient http)
    {
        var endpoint = model.Endpoint ?? throw new InvalidOperationException($"Model {model.Name} has no endpoint.");

        // The attempt timeout is enforced by LanguageModel with a token; this only keeps the SDK's own 100 s default out of the way.
        var networkTimeout = model.Timeout + TimeSpan.FromMinutes(1);
        switch (model.Provider)
        {
            case ModelProvider.OpenAI:
                return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? NoKey : apiKey), new OpenAIClientOptions
                {
                    Endpoint = endpoint,
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(0),
                    NetworkTimeout = networkTimeout,
                }).GetChatClient(model.Model).AsIChatClient();
            case ModelProvider.Azure:
                return new AzureOpenAIClient(endpoint, new ApiKeyCredential(apiKey ?? ""), new AzureOpenAIClientOptions
                {
                    Transport = new HttpClientPipelineTransport(http),
                    RetryPolicy = new ClientRetryPolicy(0),
                    NetworkTimeout = networkTimeout,
                }).GetChatClient(model.Model).AsIChatClient();
            case ModelProvider.Ollama:
                http.BaseAddress = endpoint;

                // A local Ollama needs no key; a hosted Ollama-compatible endpoint takes one as a bearer token.
                if (!string.IsNullOrEmpty(apiKey))
                {
                    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
                }

                return new OllamaApiClient(http, model.Model);
            default:
                throw new NotSupportedException($"Unknown provider '{model.Provider}' for model {model.Name}.");
        }
    }
}
