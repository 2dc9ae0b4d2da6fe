using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvoCode.FakeLlm;

/// <summary>
/// A fake language-model server on 127.0.0.1 that speaks OpenAI <c>POST /v1/chat/completions</c>, Azure OpenAI
/// <c>POST /openai/deployments/{d}/chat/completions</c> and Ollama <c>POST /api/chat</c>, streaming and not.
/// Answers come from scripted steps (per model, then global), else from <see cref="PlausibleReply"/>.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private const int Created = 1_700_000_000;
    private const string OllamaCreatedAt = "2025-01-01T00:00:00Z";

    private readonly WebApplication _app;
    private readonly Queue<FakeStep> _steps = new();
    private readonly Dictionary<string, Queue<FakeStep>> _modelSteps = new(StringComparer.Ordinal);
    private readonly List<FakeRequest> _requests = [];
    private readonly List<FakeStep> _answers = [];
    private readonly Lock _gate = new();
    private int _unscripted;
    private int _aborted;

    private FakeLlmServer(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    /// <summary>http://127.0.0.1:PORT/ — the Azure and Ollama endpoint.</summary>
    public Uri BaseAddress { get; }

    /// <summary>http://127.0.0.1:PORT/v1 — the OpenAI endpoint.</summary>
    public Uri OpenAIEndpoint => new(BaseAddress, "v1");

    /// <summary>What the server received so far, in order.</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The step used for each request, in the order of <see cref="Requests"/> (scripted or plausible), so tests can sum the usage the server reported.</summary>
    public IReadOnlyList<FakeStep> Answers
    {
        get
        {
            lock (_gate)
            {
                return [.. _answers];
            }
        }
    }

    /// <summary>Starts on 127.0.0.1 (port 0: a free one).</summary>
    public static async Task<FakeLlmServer> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var app = builder.Build();
        FakeLlmServer? server = null;
        app.MapPost("/v1/chat/completions", ctx => server!.HandleAsync(ctx, "openai", null));
        app.MapPost("/openai/deployments/{deployment}/chat/completions", ctx => server!.HandleAsync(ctx, "azure", (string?)ctx.Request.RouteValues["deployment"]));
        app.MapPost("/api/chat", ctx => server!.HandleAsync(ctx, "ollama", null));
        await app.StartAsync(cancellationToken);
        server = new FakeLlmServer(app);
        return server;
    }

    /// <summary>Queues a step for any model.</summary>
    public void Enqueue(params FakeStep[] steps)
    {
        lock (_gate)
        {
            foreach (var step in steps)
            {
                _steps.Enqueue(step);
            }
        }
    }

    /// <summary>Queues a step for one model (or Azure deployment); those are used before the global queue.</summary>
    public void EnqueueFor(string model, params FakeStep[] steps)
    {
        lock (_gate)
        {
            if (!_modelSteps.TryGetValue(model, out var queue))
            {
                _modelSteps[model] = queue = new Queue<FakeStep>();
            }

            foreach (var step in steps)
            {
                queue.Enqueue(step);
            }
        }
    }

    /// <summary>The answer to a request no scripted step is queued for (its number counts from 1); <see cref="PlausibleReply.For"/> when unset. See <see cref="ScriptedModel"/>.</summary>
    public Func<FakeRequest, int, FakeStep>? Responder { get; set; }

    /// <summary>Requests whose client went away while the server was still waiting to answer (a cancelled or timed-out call).</summary>
    public int AbortedRequests => Volatile.Read(ref _aborted);

    /// <summary>Scripted steps not yet used.</summary>
    public int PendingSteps
    {
        get
        {
            lock (_gate)
            {
                return _steps.Count + _modelSteps.Values.Sum(q => q.Count);
            }
        }
    }

    /// <summary>Waits until the host stops (Ctrl+C in standalone mode).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, string provider, string? deployment)
    {
        JsonNode body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) ?? new JsonObject();
        }
        catch (JsonException)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var model = deployment ?? body["model"]?.GetValue<string>() ?? "";
        var stream = body["stream"]?.GetValue<bool>() ?? false;
        var messages = (body["messages"] as JsonArray ?? []).Select(m => (m?["role"]?.GetValue<string>() ?? "", Content(m?["content"]))).ToList();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new FakeRequest(provider, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body, model, stream, messages);
        FakeStep step;
        lock (_gate)
        {
            _requests.Add(request);
            step = _modelSteps.TryGetValue(model, out var queue) && queue.Count > 0 ? queue.Dequeue()
                : _steps.Count > 0 ? _steps.Dequeue()
                : (Responder ?? PlausibleReply.For)(request, ++_unscripted);
            _answers.Add(step);
        }

        if (step.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(step.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _aborted);
                return;
            }
        }

        var response = context.Response;
        if (step.Status is { } status)
        {
            response.StatusCode = status;
            if (step.RetryAfterSeconds is { } seconds)
            {
                response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            var error = status == 429
                ? new JsonObject { ["error"] = new JsonObject { ["message"] = "Rate limit", ["type"] = "rate_limit_error", ["code"] = "rate_limit_exceeded" } }
                : new JsonObject { ["error"] = new JsonObject { ["message"] = "boom" } };
            response.ContentType = "application/json";
            await response.WriteAsync(error.ToJsonString(), context.RequestAborted);
            return;
        }

        if (step.Malformed)
        {
            response.ContentType = stream ? (provider == "ollama" ? "application/x-ndjson" : "text/event-stream") : "application/json";
            await response.WriteAsync(stream && provider != "ollama" ? "data: {\"choices\": [ {\"delta\": \n\n" : "{\"choices\": [ {\"message\": {\"content\": \"unterminated", context.RequestAborted);
            return;
        }

        var text = step.Text ?? "";
        if (provider == "ollama")
        {
            await OllamaAsync(response, model, text, step, stream, context.RequestAborted);
        }
        else
        {
            var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() ?? false;
            await OpenAIAsync(response, model, text, step, stream, includeUsage, context.RequestAborted);
        }
    }

    private async Task OpenAIAsync(HttpResponse response, string model, string text, FakeStep step, bool stream, bool includeUsage, CancellationToken ct)
    {
        var usage = step.InputTokens is { } input && step.OutputTokens is { } output
            ? new JsonObject { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output }
            : null;
        if (!stream)
        {
            if (!await StallAsync(step, ct))
            {
                return;
            }

            var reply = new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = Created,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    ["finish_reason"] = step.FinishReason,
                }),
            };
            if (usage is not null)
            {
                reply["usage"] = usage;
            }

            response.ContentType = "application/json";
            await response.WriteAsync(reply.ToJsonString(), ct);
            return;
        }

        response.ContentType = "text/event-stream";
        var pieces = Pieces(text);
        for (var i = 0; i < pieces.Count; i++)
        {
            var delta = new JsonObject { ["content"] = pieces[i] };
            if (i == 0)
            {
                delta["role"] = "assistant";
            }

            await SseAsync(response, Chunk(model, new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = i == pieces.Count - 1 && !step.CutStream ? step.FinishReason : null })), ct);
            if (i == 0 && !await StallAsync(step, ct))
            {
                return;
            }
        }

        if (step.CutStream)
        {
            return;
        }

        if (includeUsage && usage is not null)
        {
            var last = Chunk(model, []);
            last["usage"] = usage;
            await SseAsync(response, last, ct);
        }

        await response.WriteAsync("data: [DONE]\n\n", ct);
    }

    private async Task OllamaAsync(HttpResponse response, string model, string text, FakeStep step, bool stream, CancellationToken ct)
    {
        JsonObject Final(string content)
        {
            var done = new JsonObject
            {
                ["model"] = model,
                ["created_at"] = OllamaCreatedAt,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                ["done"] = true,
                ["done_reason"] = step.FinishReason,
                ["total_duration"] = 1000,
            };
            if (step.InputTokens is { } input && step.OutputTokens is { } output)
            {
                done["prompt_eval_count"] = input;
                done["eval_count"] = output;
            }

            return done;
        }

        if (!stream)
        {
            if (!await StallAsync(step, ct))
            {
                return;
            }

            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(Final(text).ToJsonString(), ct);
            return;
        }

        response.ContentType = "application/x-ndjson";
        var first = true;
        foreach (var piece in Pieces(text))
        {
            var line = new JsonObject { ["model"] = model, ["created_at"] = OllamaCreatedAt, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = piece }, ["done"] = false };
            await response.WriteAsync(line.ToJsonString() + "\n", ct);
            await response.Body.FlushAsync(ct);
            if (first && !await StallAsync(step, ct))
            {
                return;
            }

            first = false;
        }

        if (!step.CutStream)
        {
            await response.WriteAsync(Final("").ToJsonString() + "\n", ct);
        }
    }

    /// <summary>Waits out a step's stall; false (and the request counted as aborted) when the client went away meanwhile.</summary>
    private async Task<bool> StallAsync(FakeStep step, CancellationToken ct)
    {
        if (step.Stall <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(step.Stall, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _aborted);
            return false;
        }
    }

        private static JsonObject Chunk(string model, JsonArray choices) => new()
    {
        ["id"] = "chatcmpl-fake",
        ["object"] = "chat.completion.chunk",
        ["created"] = Created,
        ["model"] = model,
        ["choices"] = choices,
    };

    private static async Task SseAsync(HttpResponse response, JsonObject chunk, CancellationToken ct)
    {
        await response.WriteAsync($"data: {chunk.ToJsonString()}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    private static List<string> Pieces(string text)
    {
        const int Size = 40;
        var pieces = new List<string>();
        for (var i = 0; i < text.Length; i += Size)
        {
            pieces.Add(text.Substring(i, Math.Min(Size, text.Length - i)));
        }

        return pieces.Count == 0 ? [""] : pieces;
    }

    private static string Content(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
        _ => "",
    };
}
