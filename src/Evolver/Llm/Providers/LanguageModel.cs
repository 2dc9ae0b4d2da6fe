using System.ClientModel;
using Microsoft.Extensions.AI;

namespace EvoCode.Evolver.Llm;

/// <summary>
/// One configured model behind the single retry layer: per-attempt timeout, backoff on 429/408/5xx,
/// timeouts and network errors honouring Retry-After, a concurrency cap, and a record of every attempt.
/// Over 300 lines on purpose: the attempt, its classification and its booking in the ledger are one rule
/// (what an attempt cost and whether it is retried) and are read together.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    private readonly IChatClient _client;
    private readonly HttpClient? _http;
    private readonly ModelRetryOptions _retry;
    private readonly IModelCallLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _slots;

    internal LanguageModel(LanguageModelDefinition definition, IChatClient client, HttpClient? http, ModelRetryOptions retry, IModelCallLog log, TimeProvider timeProvider)
    {
        Definition = definition;
        _client = client;
        _http = http;
        _retry = retry;
        _log = log;
        _timeProvider = timeProvider;
        _slots = new SemaphoreSlim(definition.MaxConcurrency, definition.MaxConcurrency);
    }

    /// <summary>The configuration of this model (without its key).</summary>
    public LanguageModelDefinition Definition { get; }

    /// <summary>The configured name.</summary>
    public string Name => Definition.Name;

    /// <summary>Stores an attempt record (used by callers that deferred the final one).</summary>
    public Task RecordAsync(ModelCallRecord record, CancellationToken cancellationToken) => _log.RecordAsync(record, cancellationToken);

    /// <summary>
    /// Sends the conversation and returns the reply, retrying transient failures. Every attempt first reserves its
    /// worst case in the context's <see cref="ModelLedger"/> and settles there afterwards; an attempt the ledger
    /// refuses is not sent (outcome <see cref="ModelCallOutcome.Budget"/>). Usage a provider did not report is
    /// estimated with <see cref="TokenCounter"/> and marked so. Throws only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task<ModelReply> CompleteAsync(IReadOnlyList<ChatMessage> messages, ModelCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(context);
        var options = new ChatOptions { Temperature = Definition.Temperature, MaxOutputTokens = Definition.MaxTokens };
        var promptTokens = TokenCounter.CountPrompt(messages);
        var turn = TurnText(messages);
        var total = new Totals();
        for (var attempt = 1; ; attempt++)
        {
            if (context.Ledger.TryReserve(Name, promptTokens, Definition.MaxTokens, Definition.Pricing) is not { } reservation)
            {
                return new ModelReply
                {
                    Outcome = ModelCallOutcome.Budget,
                    Error = $"Model {Name}: not called: {context.Ledger.Exhausted}",
                    InputTokens = total.Input,
                    OutputTokens = total.Output,
                    Cost = total.Cost,
                    UsageEstimated = total.Estimated,
                };
            }

            // Latency counts from the moment the call gets a slot: time queued behind this model's concurrency cap is not the model's.
            var startedAt = _timeProvider.GetUtcNow();
            var started = _timeProvider.GetTimestamp();
            AttemptResult result;
            var sent = false;
            try
            {
                await _slots.WaitAsync(cancellationToken);
                sent = true;
                startedAt = _timeProvider.GetUtcNow();
                started = _timeProvider.GetTimestamp();
                try
                {
                    result = await AttemptAsync(messages, options, cancellationToken);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // A call cancelled after it was sent may have been billed for its prompt: book the prompt, never nothing.
                int? billed = sent ? promptTokens : null;
                var cancelledCost = billed is null ? 0m : Definition.Pricing.CostOf(billed, 0);
                context.Ledger.Settle(reservation, billed ?? 0, 0, cancelledCost, estimated: sent);
                if (sent)
                {
                    await _log.RecordAsync(Record(context, turn, attempt, startedAt, started, billed, 0, ModelCallOutcome.Cancelled, "The caller cancelled the call.") with { Cost = cancelledCost, UsageEstimated = true }, CancellationToken.None);
                }

                throw;
            }

            var usage = Settle(context.Ledger, reservation, result, promptTokens);
            total.Add(usage);
            var delay = result.Retryable && attempt < _retry.MaxAttempts ? NextDelay(attempt, result.RetryAfter) : null;
            var record = Record(context, turn, attempt, startedAt, started, usage.Input, usage.Output, result.Outcome, result.Error) with
            {
                Reply = result.Text,
                Cost = usage.Cost,
                RetryDelay = delay,
                UsageEstimated = usage.Estimated,
            };
            if (result.Text is not null)
            {
                if (!context.DeferFinalRecord)
                {
                    await _log.RecordAsync(record, CancellationToken.None);
                }

                return new ModelReply
                {
                    Text = result.Text,
                    Truncated = result.Outcome == ModelCallOutcome.Truncated,
                    Outcome = result.Outcome,
                    InputTokens = total.Input,
                    OutputTokens = total.Output,
                    Cost = total.Cost,
                    UsageEstimated = total.Estimated,
                    FinalRecord = record,
                };
            }

            await _log.RecordAsync(record, CancellationToken.None);
            if (delay is null)
            {
                var why = result.Retryable && result.RetryAfter > _retry.MaxRetryAfter
                    ? $"{result.Error} (Retry-After {result.RetryAfter} exceeds the {_retry.MaxRetryAfter} cap)"
                    : result.Error;
                return new ModelReply
                {
                    Outcome = result.Outcome,
                    Error = $"Model {Name}: {result.Outcome} after {attempt} attempt(s): {why}",
                    InputTokens = total.Input,
                    OutputTokens = total.Output,
                    Cost = total.Cost,
                    UsageEstimated = total.Estimated,
                };
            }

            await Task.Delay(delay.Value, _timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// Books one attempt in the ledger. A reply without reported usage is estimated (prompt counted, reply counted);
    /// a refused request (HTTP error, no connection) costs nothing; a timeout or an unreadable 200 may have been
    /// billed for the prompt, so the prompt is booked as an estimate.
    /// </summary>
    private AttemptUsage Settle(ModelLedger ledger, ModelReservation reservation, AttemptResult result, int promptTokens)
    {
        int? input = result.InputTokens;
        int? output = result.OutputTokens;
        var estimated = false;
        if (result.Text is not null)
        {
            estimated = input is null || output is null;
            input ??= promptTokens;
            output ??= TokenCounter.Count(result.Text);
        }
        else if (result.Outcome is ModelCallOutcome.Timeout or ModelCallOutcome.Malformed)
        {
            estimated = input is null;
            input ??= promptTokens;
            output ??= 0;
        }

        var cost = input is null ? null : Definition.Pricing.CostOf(input, output ?? 0);
        ledger.Settle(reservation, input ?? 0, output ?? 0, cost, estimated);
        return new AttemptUsage(input, output, cost, estimated);
    }

    private sealed record AttemptUsage(int? Input, int? Output, decimal? Cost, bool Estimated);

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _http?.Dispose();
        _slots.Dispose();
    }

    private async Task<AttemptResult> AttemptAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(Definition.Timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var probe = ResponseProbe.Begin();

        // At the timeout (or the caller's cancellation) the connection is closed, whatever the client does with its token.
        await using var close = linked.Token.Register(static p => ((ResponseProbe)p!).Close(), probe);
        try
        {
            ChatResponse response;
            if (Definition.Streaming)
            {
                var updates = new List<ChatResponseUpdate>();
                await foreach (var update in _client.GetStreamingResponseAsync(messages, options, linked.Token))
                {
                    updates.Add(update);
                }

                response = updates.ToChatResponse();
            }
            else
            {
                response = await _client.GetResponseAsync(messages, options, linked.Token);
            }

            if (timeout.IsCancellationRequested)
            {
                // Some clients end a stream quietly when its token fires; a reply cut by the timeout is a timeout, not a truncation.
                return Failure(ModelCallOutcome.Timeout, $"No complete reply within {Definition.Timeout}.", true, null);
            }

            var text = response.Text ?? "";
            var (input, output) = Usage(response.Usage, text);
            string? cut = null;
            if (response.FinishReason == ChatFinishReason.Length)
            {
                cut = $"The reply stopped at the {Definition.MaxTokens}-token output limit.";
            }
            else if (Definition.Streaming && response.FinishReason is null)
            {
                // A complete stream always ends with a finish reason (OpenAI finish_reason, Ollama done_reason).
                cut = "The stream ended without a finish reason (the connection dropped mid-reply).";
            }

            return new AttemptResult(text, input, output, cut is null ? ModelCallOutcome.Ok : ModelCallOutcome.Truncated, cut, false, null);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The caller cancelled; a read of the closed connection may surface as an I/O error instead.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && ex is OperationCanceledException or IOException or ObjectDisposedException or HttpRequestException)
        {
            // A stream slower than the timeout, streamed or not, from any provider: one outcome, retried.
            return Failure(ModelCallOutcome.Timeout, $"No complete reply within {Definition.Timeout}.", true, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var status = ex switch
            {
                ClientResultException { Status: > 0 } c => c.Status,
                HttpRequestException { StatusCode: { } code } => (int)code,
                _ => probe.Status is { } s && (int)s >= 400 ? (int)s : 0,
            };
            if (status > 0)
            {
                var retryable = status is 408 or 429 or >= 500;
                return Failure(ModelCallOutcome.Http(status), ex.Message, retryable, probe.RetryAfter);
            }

            if (ex is HttpRequestException or IOException && probe.Status is null)
            {
                return Failure(ModelCallOutcome.Network, ex.Message, true, null);
            }

            // A 200 whose body the client could not read: bad JSON, no choices, an unknown finish reason.
            return Failure(ModelCallOutcome.Malformed, $"{ex.GetType().Name}: {ex.Message}", false, null);
        }
    }

    private (int? Input, int? Output) Usage(UsageDetails? usage, string text)
    {
        int? input = usage?.InputTokenCount is { } i ? checked((int)i) : null;
        int? output = usage?.OutputTokenCount is { } o ? checked((int)o) : null;
        if (Definition.Provider == ModelProvider.Ollama)
        {
            // OllamaSharp reports a reply without counts as 0/0; a prompt is never 0 tokens, nor is a non-empty reply.
            input = input is 0 ? null : input;
            output = output is 0 && text.Length > 0 ? null : output;
        }

        return (input, output);
    }

    private TimeSpan? NextDelay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            return wait <= _retry.MaxRetryAfter ? wait : null;
        }

        var exponential = _retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, _retry.MaxDelay.TotalMilliseconds);

        // Jitter in [50%, 100%] so that parallel proposals hit by one 429 do not come back together.
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private ModelCallRecord Record(ModelCallContext context, string turn, int attempt, DateTimeOffset startedAt, long started, int? input, int? output, string outcome, string? error) =>
        new(context.RunId, Name, Definition.Provider, context.Operator, input, output, null, _timeProvider.GetElapsedTime(started), outcome, error, startedAt)
        {
            Attempt = attempt,
            ProposalId = context.ProposalId,
            Prompt = turn,
        };

    /// <summary>What a turn adds to the conversation: the messages after the model's last reply (the whole prompt on the first turn).</summary>
    private static string TurnText(IReadOnlyList<ChatMessage> messages)
    {
        var first = 0;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                first = i + 1;
                break;
            }
        }

        return string.Join('\n', messages.Skip(first).Select(m => m.Text));
    }

    private static AttemptResult Failure(string outcome, string error, bool retryable, TimeSpan? retryAfter) =>
        new(null, null, null, outcome, error, retryable, retryAfter);

    private sealed record AttemptResult(string? Text, int? InputTokens, int? OutputTokens, string Outcome, string? Error, bool Retryable, TimeSpan? RetryAfter);

    /// <summary>Sums over attempts; an attempt that was refused costs nothing, and estimated usage makes the sum estimated.</summary>
    private sealed class Totals
    {
        public int Input { get; private set; }

        public int Output { get; private set; }

        public decimal? Cost { get; private set; } = 0m;

        public bool Estimated { get; private set; }

        public void Add(AttemptUsage usage)
        {
            Input += usage.Input ?? 0;
            Output += usage.Output ?? 0;
            Cost = usage.Input is null ? Cost : Cost is null || usage.Cost is null ? null : Cost + usage.Cost;
            Estimated |= usage.Estimated;
        }
    }
}
