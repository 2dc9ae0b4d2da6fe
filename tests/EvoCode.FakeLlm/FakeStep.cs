namespace EvoCode.FakeLlm;

/// <summary>One scripted answer of the fake server: a reply with exact usage, or a fault.</summary>
public sealed record FakeStep
{
    /// <summary>Reply text (for replies, truncated and slow replies).</summary>
    public string? Text { get; init; }

    /// <summary>prompt_tokens / prompt_eval_count to report; null reports no usage at all.</summary>
    public int? InputTokens { get; init; }

    /// <summary>completion_tokens / eval_count to report; null reports no usage at all.</summary>
    public int? OutputTokens { get; init; }

    /// <summary>"stop" or "length".</summary>
    public string FinishReason { get; init; } = "stop";

    /// <summary>An HTTP error status to answer with instead of a reply.</summary>
    public int? Status { get; init; }

    /// <summary>Retry-After seconds sent with <see cref="Status"/>.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Wait before answering (longer than the client's timeout to test timeouts).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Answer 200 with a body that is not valid JSON.</summary>
    public bool Malformed { get; init; }

    /// <summary>For streamed answers: stop sending after the text, with no finish reason, usage or end marker (a dropped stream).</summary>
    public bool CutStream { get; init; }

    /// <summary>A streamed reply whose connection ends early; non-streamed requests get it whole.</summary>
    public static FakeStep Cut(string text) => new() { Text = text, CutStream = true };

    /// <summary>A reply with exact usage.</summary>
    public static FakeStep Reply(string text, int inputTokens, int outputTokens) => new() { Text = text, InputTokens = inputTokens, OutputTokens = outputTokens };

    /// <summary>A reply that reports no usage.</summary>
    public static FakeStep ReplyWithoutUsage(string text) => new() { Text = text };

    /// <summary>A reply cut at the token limit (finish_reason = length, done_reason = length).</summary>
    public static FakeStep Truncated(string text, int inputTokens, int outputTokens) => new() { Text = text, InputTokens = inputTokens, OutputTokens = outputTokens, FinishReason = "length" };

    /// <summary>429 with Retry-After.</summary>
    public static FakeStep RateLimited(int retryAfterSeconds) => new() { Status = 429, RetryAfterSeconds = retryAfterSeconds };

    /// <summary>500.</summary>
    public static FakeStep ServerError() => new() { Status = 500 };

    /// <summary>A reply that comes after <paramref name="delay"/>.</summary>
    public static FakeStep Slow(TimeSpan delay, string text = "late", int inputTokens = 1, int outputTokens = 1) =>
        new() { Delay = delay, Text = text, InputTokens = inputTokens, OutputTokens = outputTokens };

    /// <summary>For streamed answers: after the first piece of text, wait this long before the rest (a model that stalls mid-reply).</summary>
    public TimeSpan Stall { get; init; }

    /// <summary>A streamed reply that sends its first piece, then stalls for <paramref name="stall"/>; non-streamed requests wait before answering.</summary>
    public static FakeStep Stalled(TimeSpan stall, string text = "a reply that stalls after its first piece", int inputTokens = 1, int outputTokens = 1) =>
        new() { Stall = stall, Text = text, InputTokens = inputTokens, OutputTokens = outputTokens };

    /// <summary>A 200 whose body is broken JSON.</summary>
    public static FakeStep MalformedJson() => new() { Malformed = true };
}
